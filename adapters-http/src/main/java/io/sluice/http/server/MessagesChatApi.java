package io.sluice.http.server;

import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatResponse;
import io.sluice.domain.ToolCallDelta;
import io.sluice.domain.Usage;
import io.sluice.http.messages.MessagesJson;
import io.sluice.http.messages.MessagesRequestReader;
import io.sluice.http.openai.ParsedChatRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Anthropic's Messages API ({@code POST /v1/messages}) on the gateway's pipeline: any configured model answers, in
 * Anthropic's message, event sequence and error shape.
 */
final class MessagesChatApi implements ChatApi {
    private final MessagesRequestReader reader;
    private final MessagesJson json;

    MessagesChatApi(com.fasterxml.jackson.databind.ObjectMapper mapper) {
        this.reader = new MessagesRequestReader(mapper);
        this.json = new MessagesJson(mapper);
    }

    @Override
    public ParsedChatRequest read(byte[] body, Optional<String> defaultModel) {
        return reader.read(body, defaultModel, false);
    }

    /** A {@code count_tokens} request: the same fields, without {@code max_tokens}. */
    ParsedChatRequest readCount(byte[] body, Optional<String> defaultModel) {
        return reader.read(body, defaultModel, true);
    }

    @Override
    public byte[] response(ParsedChatRequest request, ChatResponse response, Answered answered) {
        return json.writeResponse(response);
    }

    @Override
    public StreamFormat streamFormat(ParsedChatRequest request, Answered answered) {
        return new Events();
    }

    @Override
    public void sendError(HttpServerResponse response, ErrorResponses.ApiError error) {
        ErrorResponses.send(response, error, () -> json.error(error.status(), error.message()).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * OpenAI-shaped chunks as Anthropic's events: {@code message_start}; a content block per run of text and per tool
     * call ({@code content_block_start}, deltas, {@code content_block_stop}); then {@code message_delta} with the stop
     * reason and the usage, and {@code message_stop}.
     */
    private final class Events implements StreamFormat {
        private boolean started;
        private int block = -1;
        private boolean textOpen;
        private boolean toolOpen;
        private final Map<Integer, Integer> blockOfCall = new HashMap<>();
        private String stopReason = "end_turn";
        private Usage usage;

        @Override
        public String chunk(ChatChunk chunk) {
            StringBuilder events = new StringBuilder();
            if (!started) {
                started = true;
                events.append(json.messageStart(chunk.id(), chunk.model()));
            }
            if (chunk.contentDelta() != null && !chunk.contentDelta().isEmpty()) {
                if (!textOpen) {
                    close(events);
                    events.append(json.textBlockStart(++block));
                    textOpen = true;
                }
                events.append(json.textDelta(block, chunk.contentDelta()));
            }
            for (ToolCallDelta d : chunk.toolCallDeltas()) {
                if (d.id() != null) {
                    close(events);
                    events.append(json.toolBlockStart(++block, d.id(), d.name() == null ? "" : d.name()));
                    blockOfCall.put(d.index(), block);
                    toolOpen = true;
                }
                if (d.argumentsDelta() != null && !d.argumentsDelta().isEmpty()) {
                    events.append(json.inputJsonDelta(blockOfCall.getOrDefault(d.index(), block), d.argumentsDelta()));
                }
            }
            if (chunk.finishReason() != null) stopReason = MessagesJson.stopReason(chunk.finishReason());
            if (chunk.usage() != null) usage = chunk.usage();
            return events.toString();
        }

        private void close(StringBuilder events) {
            if (textOpen || toolOpen) events.append(json.blockStop(block));
            textOpen = false;
            toolOpen = false;
        }

        @Override
        public String end() {
            StringBuilder events = new StringBuilder();
            if (!started) events.append(json.messageStart("msg_empty", "unknown"));
            close(events);
            return events.append(json.messageDelta(stopReason, usage)).append(json.messageStop()).toString();
        }

        @Override
        public String error(ErrorResponses.ApiError error) {
            return json.errorEvent(error.status(), error.message());
        }
    }
}
