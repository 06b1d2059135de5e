package io.sluice.http.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.ContentPart;
import io.sluice.domain.ConversationId;
import io.sluice.domain.Role;
import io.sluice.domain.StoredMessage;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.http.openai.OpenAiJson;
import io.sluice.http.responses.ResponseIds;
import io.sluice.http.responses.ResponsesJson;
import io.sluice.ports.in.Caller;
import io.sluice.ports.in.Conversations;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /v1/responses/{id}}, {@code GET /v1/responses/{id}/input_items} and {@code DELETE /v1/responses/{id}}: a
 * stored response read back from (or deleted from) the conversation it is a turn of: the answer stored with its request
 * id, and the messages of its turn before it. A response read back has the usage billed for it (stored with the
 * answer) and echoes no request settings.
 */
final class ResponsesHandler {
    /** How many messages are read per page while looking for a response's turn. */
    private static final int PAGE = Conversations.MAX_PAGE_SIZE;
    private final Conversations conversations;
    private final ResponsesJson json;
    private final OpenAiJson errors;

    ResponsesHandler(Conversations conversations, OpenAiJson errors) {
        this.conversations = conversations;
        this.json = new ResponsesJson(errors.mapper());
        this.errors = errors;
    }

    void retrieve(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        Replies.json(ctx, errors, 200, () -> turn(ctx, id), turn -> {
            StoredMessage answer = turn.getLast();
            String status = "true".equals(answer.metadata().get("truncated")) ? "incomplete" : "completed";
            return json.response(id, answer.model() == null ? "unknown" : answer.model(), answer.created().getEpochSecond(), status,
                    json.output(answer.message(), ResponsesChatApi.itemId(id), "completed"), answer.usage().orElse(null), null,
                    answer.conversationId().value()).toString();
        });
    }

    void inputItems(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        Replies.json(ctx, errors, 200, () -> turn(ctx, id), turn -> {
            ObjectNode root = json.object().put("object", "list");
            ArrayNode data = root.putArray("data");
            for (StoredMessage m : turn.subList(0, turn.size() - 1)) data.add(item(m));
            root.put("first_id", data.isEmpty() ? null : data.get(0).path("id").asText());
            root.put("last_id", data.isEmpty() ? null : data.get(data.size() - 1).path("id").asText());
            return root.put("has_more", false).toString();
        });
    }

    /**
     * {@code DELETE /v1/responses/{id}}: the response's turn (its input items and its answer) leaves the conversation
     * for good, with the results of the answer's tool calls; the turns around it stay. A tool result among its inputs
     * answers the previous response's call and stays with it, so that deleting this response leaves that one whole.
     */
    void delete(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        Replies.json(ctx, errors, 200, () -> turn(ctx, id).thenCompose(turn -> conversations.deleteItems(new Caller(Authenticator.owner(ctx), null),
                turn.getLast().conversationId(), turn.stream().filter(m -> m.message().role() != Role.TOOL).map(StoredMessage::seq).toList())),
                deleted -> json.object().put("id", id).put("object", "response").put("deleted", true).toString());
    }

    /** The response's turn: the messages after the previous stored answer, up to and with its own answer. */
    private CompletionStage<List<StoredMessage>> turn(RoutingContext ctx, String id) {
        ConversationId conversation;
        try {
            conversation = ResponseIds.conversation(id, "response_id");
        } catch (InvalidRequestException e) {
            return CompletableFuture.failedFuture(new io.sluice.domain.error.ResponseNotFoundException(io.sluice.http.openai.JsonBodies.clip(id)));
        }
        return find(new Caller(Authenticator.owner(ctx), null), conversation, ResponseIds.requestId(id), 0, new ArrayList<>())
                .exceptionallyCompose(error -> CompletableFuture.failedFuture(
                        io.sluice.domain.error.Failures.cause(error) instanceof io.sluice.domain.error.ConversationNotFoundException
                                ? new io.sluice.domain.error.ResponseNotFoundException(id) : error));
    }

    private CompletionStage<List<StoredMessage>> find(Caller caller, ConversationId conversation, String requestId, long afterSeq,
                                                      List<StoredMessage> sinceLastAnswer) {
        return conversations.messages(caller, conversation, afterSeq, PAGE, true).thenCompose(page -> {
            for (StoredMessage m : page.items()) {
                sinceLastAnswer.add(m);
                String answered = m.metadata().get(StoredMessage.REQUEST_ID);
                if (answered == null) continue;
                if (answered.equals(requestId)) return CompletableFuture.completedFuture(List.copyOf(sinceLastAnswer));
                sinceLastAnswer.clear();
            }
            if (!page.hasMore() || page.items().isEmpty()) {
                return CompletableFuture.failedFuture(new io.sluice.domain.error.ConversationNotFoundException(conversation.value()));
            }
            return find(caller, conversation, requestId, page.items().getLast().seq(), sinceLastAnswer);
        });
    }

    /** A stored message as a Responses input item. */
    private ObjectNode item(StoredMessage m) {
        String itemId = "msg_" + m.conversationId().value().substring("conv_".length()) + "_" + m.seq();
        var message = m.message();
        if (message.role() == Role.TOOL) {
            return json.object().put("type", "function_call_output").put("id", itemId).put("call_id", message.toolCallId()).put("output", message.content());
        }
        ObjectNode item = json.object().put("type", "message").put("id", itemId).put("role", message.role().wireName()).put("status", "completed");
        ArrayNode content = item.putArray("content");
        boolean assistant = message.role() == Role.ASSISTANT;
        if (message.hasMedia()) {
            for (ContentPart part : message.parts()) {
                switch (part) {
                    case ContentPart.Text t -> content.addObject().put("type", "input_text").put("text", t.text());
                    case ContentPart.Image i -> content.addObject().put("type", "input_image").put("image_url", i.url()).put("detail", i.detail());
                    case ContentPart.File f -> content.addObject().put("type", "input_file").put("file_data", f.fileData()).put("file_id", f.fileId())
                            .put("filename", f.filename());
                    case ContentPart.Audio a -> content.addObject().put("type", "input_audio").put("data", a.data()).put("format", a.format());
                }
            }
        } else if (message.content() != null) {
            content.addObject().put("type", assistant ? "output_text" : "input_text").put("text", message.content());
        }
        return item;
    }
}
