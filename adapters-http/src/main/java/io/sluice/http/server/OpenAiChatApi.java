package io.sluice.http.server;

import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatResponse;
import io.sluice.http.openai.ChatRequestReader;
import io.sluice.http.openai.OpenAiJson;
import io.sluice.http.openai.ParsedChatRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Optional;

/** OpenAI's chat completions: {@code data:} chunks, the usage chunk only when asked for, then {@code [DONE]}. */
final class OpenAiChatApi implements ChatApi {
    private final OpenAiJson json;
    private final ChatRequestReader reader;

    OpenAiChatApi(OpenAiJson json) {
        this.json = json;
        this.reader = new ChatRequestReader(json.mapper());
    }

    @Override
    public ParsedChatRequest read(byte[] body, Optional<String> defaultModel) {
        return reader.read(body, defaultModel);
    }

    @Override
    public byte[] response(ParsedChatRequest request, ChatResponse response, Answered answered) {
        return json.writeResponse(response);
    }

    @Override
    public StreamFormat streamFormat(ParsedChatRequest request, Answered answered) {
        boolean includeUsage = request.includeUsage();
        return new Framing(json) {
            @Override
            public String chunk(ChatChunk chunk) {
                return chunk.isUsageOnly() && !includeUsage ? "" : "data: " + json.writeChunk(chunk, includeUsage) + "\n\n";
            }
        };
    }

    /** OpenAI's stream framing around the chunks: {@code data: [DONE]} at the end, an {@code error} event on failure. */
    abstract static class Framing implements StreamFormat {
        private final OpenAiJson json;

        Framing(OpenAiJson json) {
            this.json = json;
        }

        @Override
        public String end() {
            return "data: [DONE]\n\n";
        }

        @Override
        public String error(ErrorResponses.ApiError error) {
            return "event: error\ndata: " + json.errorNode(error.message(), error.type(), error.param(), error.code()) + "\n\n";
        }
    }

    @Override
    public void sendError(HttpServerResponse response, ErrorResponses.ApiError error) {
        ErrorResponses.send(response, json, error);
    }
}
