package io.sluice.http.server;

import io.sluice.domain.ConversationId;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.http.server.ConversationJson;
import io.sluice.http.openai.OpenAiJson;
import io.sluice.ports.in.Caller;
import io.sluice.ports.in.Conversations;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code /v1/conversations}: create, list, get (with stats), update, delete, and a conversation's items: page, add,
 * retrieve and delete.
 * Every route is scoped to the caller's owner; the admin API lists and reads any owner's (the console's view).
 */
final class ConversationsHandler {
    private final Conversations conversations;
    private final io.sluice.ports.in.Erasure erasure;
    private final ConversationJson json;
    private final OpenAiJson errors;
    private final io.sluice.http.responses.ResponsesRequestReader items;

    ConversationsHandler(Conversations conversations, io.sluice.ports.in.Erasure erasure, ConversationJson json, OpenAiJson errors) {
        this.erasure = erasure;
        this.conversations = conversations;
        this.json = json;
        this.errors = errors;
        this.items = new io.sluice.http.responses.ResponsesRequestReader(errors.mapper());
    }

    void create(RoutingContext ctx) {
        respond(ctx, 200, () -> {
            Buffer body = ctx.body().buffer();
            return conversations.create(caller(ctx), json.readCreate(body == null ? null : body.getBytes()));
        }, view -> json.conversation(view.conversation(), view.stats()));
    }

    void get(RoutingContext ctx) {
        respond(ctx, 200, () -> conversations.get(caller(ctx), id(ctx)), view -> json.conversation(view.conversation(), view.stats()));
    }

    void list(RoutingContext ctx) {
        respond(ctx, 200, () -> {
            String after = ctx.request().getParam("after");
            return conversations.list(caller(ctx), ctx.request().getParam("user"), after == null ? null : conversationId(after, "after"),
                    limit(ctx));
        }, json::conversations);
    }

    void items(RoutingContext ctx) {
        respond(ctx, 200, () -> {
            String order = ctx.request().getParam("order", "asc");
            if (!order.equals("asc") && !order.equals("desc")) throw new InvalidRequestException("'order' must be 'asc' or 'desc'", "order");
            String after = ctx.request().getParam("after");
            long afterSeq = after == null ? 0 : ConversationJson.seqOf(after, "after");
            return conversations.messages(caller(ctx), id(ctx), afterSeq, limit(ctx), order.equals("asc"));
        }, json::items);
    }

    /** {@code POST /v1/conversations/{id}}: replaces the metadata. */
    void update(RoutingContext ctx) {
        respond(ctx, 200, () -> {
            Buffer body = ctx.body().buffer();
            return conversations.update(caller(ctx), id(ctx), json.readMetadata(body == null ? null : body.getBytes()));
        }, view -> json.conversation(view.conversation(), view.stats()));
    }

    /** {@code POST /v1/conversations/{id}/items}: appends messages, which later turns send as history. */
    void addItems(RoutingContext ctx) {
        respond(ctx, 200, () -> {
            Buffer body = ctx.body().buffer();
            return conversations.addItems(caller(ctx), id(ctx), items.readItems(body == null ? null : body.getBytes()));
        }, json::addedItems);
    }

    /** {@code GET /v1/conversations/{id}/items/{item_id}}. */
    void item(RoutingContext ctx) {
        respond(ctx, 200, () -> conversations.item(caller(ctx), id(ctx), ConversationJson.seqOf(ctx.pathParam("item"), id(ctx), "item_id")), json::item);
    }

    /**
     * {@code DELETE /v1/conversations/{id}/items/{item_id}}: the item leaves the conversation for good (with the other
     * side of its tool calls, see {@link Conversations#deleteItems}); answers the conversation, as OpenAI does.
     */
    void deleteItem(RoutingContext ctx) {
        respond(ctx, 200, () -> {
            ConversationId id = id(ctx);
            long seq = ConversationJson.seqOf(ctx.pathParam("item"), id, "item_id");
            return conversations.deleteItems(caller(ctx), id, java.util.List.of(seq)).thenCompose(deleted -> conversations.get(caller(ctx), id));
        }, view -> json.conversation(view.conversation(), view.stats()));
    }

    /** A soft delete, or with {@code ?purge=true} an erasure: every message, summary, vector and cache entry goes. */
    void delete(RoutingContext ctx) {
        String purgeParam = ctx.request().getParam("purge", "false");
        if (!purgeParam.equals("true") && !purgeParam.equals("false")) {
            ErrorResponses.send(ctx.response(), errors, ErrorResponses.toApiError(new InvalidRequestException("'purge' must be true or false", "purge")));
            return;
        }
        boolean purge = purgeParam.equals("true");
        respond(ctx, 200, () -> {
            ConversationId id = id(ctx);
            return (purge ? erasure.purgeConversation(caller(ctx), id) : conversations.delete(caller(ctx), id)).thenApply(done -> id);
        }, id -> json.deleted(id.value(), purge));
    }

    private <T> void respond(RoutingContext ctx, int status, Supplier<CompletionStage<T>> call, Function<T, String> write) {
        Replies.json(ctx, errors, status, call, write);
    }

    /** The key's owner; on the admin API's read-only routes ({@code /admin/owners/{owner}/...}), the owner named. */
    private static Caller caller(RoutingContext ctx) {
        String named = ctx.pathParam("owner");
        if (named == null) return new Caller(Authenticator.owner(ctx), null);
        if (named.isBlank() || named.length() > 200) throw new InvalidRequestException("'owner' must be 1 to 200 characters", "owner");
        return new Caller(named, null);
    }

    private static ConversationId id(RoutingContext ctx) {
        return conversationId(ctx.pathParam("id"), "id");
    }

    private static ConversationId conversationId(String value, String param) {
        try {
            return new ConversationId(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("'" + param + "' must be a conversation id (conv_ and 32 hex digits)", param, "invalid_conversation_id");
        }
    }

    private static int limit(RoutingContext ctx) {
        String limit = ctx.request().getParam("limit");
        if (limit == null) return Conversations.DEFAULT_PAGE_SIZE;
        try {
            return Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("'limit' must be an integer", "limit", "invalid_type");
        }
    }
}
