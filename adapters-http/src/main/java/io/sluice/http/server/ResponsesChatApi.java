package io.sluice.http.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatResponse;
import io.sluice.domain.ToolCallDelta;
import io.sluice.domain.Usage;
import io.sluice.http.openai.OpenAiJson;
import io.sluice.http.openai.ParsedChatRequest;
import io.sluice.http.responses.ResponseIds;
import io.sluice.http.responses.ResponsesJson;
import io.sluice.http.responses.ResponsesRequestReader;
import io.vertx.core.http.HttpServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * OpenAI's Responses API ({@code POST /v1/responses}) on the gateway's pipeline and memory: a stored response is a turn
 * of a Sluice conversation, its id made of the conversation's and the request's ({@link ResponseIds}), so that
 * {@code previous_response_id} continues that conversation with its context strategy and budget, whichever model
 * answers.
 */
final class ResponsesChatApi implements ChatApi {
    private final ResponsesRequestReader reader;
    private final ResponsesJson json;
    private final OpenAiJson errors;

    ResponsesChatApi(OpenAiJson errors) {
        this.reader = new ResponsesRequestReader(errors.mapper());
        this.json = new ResponsesJson(errors.mapper());
        this.errors = errors;
    }

    @Override
    public ParsedChatRequest read(byte[] body, Optional<String> defaultModel) {
        return reader.read(body, defaultModel);
    }

    @Override
    public byte[] response(ParsedChatRequest request, ChatResponse response, Answered answered) {
        String id = ResponseIds.of(answered.requestId(), answered.conversationId());
        String status = "length".equals(response.finishReason()) ? "incomplete" : "completed";
        ObjectNode body = json.response(id, response.model(), now(), status, json.output(response.message(), itemId(id), "completed"), response.usage(),
                request.raw(), answered.conversationId().map(c -> c.value()).orElse(null));
        return body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public StreamFormat streamFormat(ParsedChatRequest request, Answered answered) {
        return new Events(request, answered);
    }

    @Override
    public void sendError(HttpServerResponse response, ErrorResponses.ApiError error) {
        ErrorResponses.send(response, errors, error);
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    /** The id of a response's message item: derived from the response's, so that reading it back gives the same. */
    static String itemId(String responseId) {
        return "msg_" + responseId.substring("resp_".length());
    }

    /**
     * Chunks as the Responses API's events: {@code response.created} and {@code response.in_progress}; per output item
     * {@code response.output_item.added}, its deltas ({@code response.output_text.delta} within a content part, or
     * {@code response.function_call_arguments.delta}) and their {@code .done} events, {@code response.output_item.done};
     * then {@code response.completed} with the whole response.
     */
    private final class Events implements StreamFormat {
        private final ParsedChatRequest request;
        private final String id;
        private final String conversation;
        private final long createdAt = now();
        private final ArrayNode output;
        private final StringBuilder text = new StringBuilder();
        private final Map<Integer, Call> calls = new LinkedHashMap<>();
        private int sequence;
        private boolean started;
        private boolean messageOpen;
        private Call openCall;
        private String model = "";
        private String finishReason;
        private Usage usage;

        private static final class Call {
            final int outputIndex;
            final String callId;
            final String itemId;
            final String name;
            final StringBuilder arguments = new StringBuilder();

            Call(int outputIndex, String callId, String name) {
                this.outputIndex = outputIndex;
                this.callId = callId;
                this.itemId = ResponsesJson.functionCallId(callId);
                this.name = name;
            }
        }

        Events(ParsedChatRequest request, Answered answered) {
            this.request = request;
            this.id = ResponseIds.of(answered.requestId(), answered.conversationId());
            this.conversation = answered.conversationId().map(c -> c.value()).orElse(null);
            this.output = json.mapper().createArrayNode();
        }

        private String event(String type, ObjectNode data) {
            return json.event(type, sequence++, data);
        }

        private ObjectNode snapshot(String status) {
            return json.response(id, model, createdAt, status, output.deepCopy(), "in_progress".equals(status) ? null : usage, request.raw(), conversation);
        }

        @Override
        public String chunk(ChatChunk chunk) {
            StringBuilder events = new StringBuilder();
            if (!started) {
                started = true;
                model = chunk.model();
                events.append(event("response.created", json.object().set("response", snapshot("in_progress"))));
                events.append(event("response.in_progress", json.object().set("response", snapshot("in_progress"))));
            }
            if (chunk.contentDelta() != null && !chunk.contentDelta().isEmpty()) {
                if (!messageOpen) {
                    closeCall(events);
                    messageOpen = true;
                    events.append(event("response.output_item.added", json.object().put("output_index", output.size())
                            .set("item", json.message(itemId(id), null, "in_progress"))));
                    events.append(event("response.content_part.added", json.object().put("item_id", itemId(id)).put("output_index", output.size())
                            .put("content_index", 0).set("part", json.outputText(""))));
                }
                text.append(chunk.contentDelta());
                ObjectNode delta = json.object().put("item_id", itemId(id)).put("output_index", output.size()).put("content_index", 0)
                        .put("delta", chunk.contentDelta());
                delta.putArray("logprobs");
                events.append(event("response.output_text.delta", delta));
            }
            for (ToolCallDelta d : chunk.toolCallDeltas()) {
                if (d.id() != null) {
                    closeMessage(events);
                    closeCall(events);
                    openCall = new Call(output.size(), d.id(), d.name() == null ? "" : d.name());
                    calls.put(d.index(), openCall);
                    events.append(event("response.output_item.added", json.object().put("output_index", openCall.outputIndex)
                            .set("item", json.functionCall(openCall.callId, openCall.name, "", "in_progress"))));
                }
                Call call = calls.getOrDefault(d.index(), openCall);
                if (call != null && d.argumentsDelta() != null && !d.argumentsDelta().isEmpty()) {
                    call.arguments.append(d.argumentsDelta());
                    events.append(event("response.function_call_arguments.delta", json.object().put("item_id", call.itemId)
                            .put("output_index", call.outputIndex).put("delta", d.argumentsDelta())));
                }
            }
            if (chunk.finishReason() != null) finishReason = chunk.finishReason();
            if (chunk.usage() != null) usage = chunk.usage();
            return events.toString();
        }

        private void closeMessage(StringBuilder events) {
            if (!messageOpen) return;
            messageOpen = false;
            int index = output.size();
            events.append(event("response.output_text.done", json.object().put("item_id", itemId(id)).put("output_index", index).put("content_index", 0)
                    .put("text", text.toString())));
            events.append(event("response.content_part.done", json.object().put("item_id", itemId(id)).put("output_index", index)
                    .put("content_index", 0).set("part", json.outputText(text.toString()))));
            ObjectNode item = json.message(itemId(id), text.toString(), "completed");
            output.add(item);
            events.append(event("response.output_item.done", json.object().put("output_index", index).set("item", item)));
        }

        private void closeCall(StringBuilder events) {
            if (openCall == null) return;
            Call call = openCall;
            openCall = null;
            events.append(event("response.function_call_arguments.done", json.object().put("item_id", call.itemId)
                    .put("output_index", call.outputIndex).put("arguments", call.arguments.toString())));
            ObjectNode item = json.functionCall(call.callId, call.name, call.arguments.toString(), "completed");
            output.add(item);
            events.append(event("response.output_item.done", json.object().put("output_index", call.outputIndex).set("item", item)));
        }

        @Override
        public String end() {
            StringBuilder events = new StringBuilder();
            closeMessage(events);
            closeCall(events);
            String status = "length".equals(finishReason) ? "incomplete" : "completed";
            return events.append(event("response." + status, json.object().set("response", snapshot(status)))).toString();
        }

        @Override
        public String error(ErrorResponses.ApiError error) {
            ObjectNode data = json.object().put("code", error.code()).put("message", error.message()).put("param", error.param());
            return event("error", data);
        }
    }
}
