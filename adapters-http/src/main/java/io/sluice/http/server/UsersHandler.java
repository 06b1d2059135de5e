package io.sluice.http.server;

import io.sluice.domain.StoredText;
import io.sluice.http.openai.OpenAiJson;
import io.sluice.ports.in.Erasure;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code DELETE /admin/users/{owner}/{user}}: erases an end user of an owner, as a data-protection request asks:
 * every conversation of theirs (messages, summaries, vectors, cache entries), and their name in the ledger and in
 * budget counters. Answers what was removed.
 */
final class UsersHandler {
    private final Erasure erasure;
    private final OpenAiJson json;

    UsersHandler(Erasure erasure, OpenAiJson json) {
        this.erasure = erasure;
        this.json = json;
    }

    void erase(RoutingContext ctx) {
        String owner = ctx.pathParam("owner");
        String user = ctx.pathParam("user");
        Replies.json(ctx, json, 200, () -> {
            StoredText.requireName(owner, "owner");
            StoredText.requireName(user, "user");
            return erasure.eraseUser(owner, user);
        }, erased -> json.mapper().createObjectNode().put("object", "user.erased").put("owner", erased.owner()).put("user", erased.user())
                .put("conversations_purged", erased.conversations()).put("ledger_entries_anonymized", erased.ledgerEntries()).toString());
    }
}
