package io.sluice.jdbc;

import io.sluice.domain.budget.Budget;
import io.sluice.domain.ContextStrategy;
import io.sluice.domain.keys.ApiKey;
import io.sluice.domain.keys.KeyPolicy;
import io.sluice.ports.out.ApiKeyStore;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Update;

/** {@link ApiKeyStore} on JDBI, for PostgreSQL and H2 alike. Thread-safe. */
final class JdbcApiKeyStore implements ApiKeyStore {
    private static final String SELECT = "SELECT id, owner, name, created_at, revoked_at, default_route, default_strategy, default_tier, "
            + "rpm, tpm, budget_day_usd, budget_month_usd, budget_total_usd, max_prompt_tokens, response_cache_ttl_seconds, fallback_reply, locale, priority, priority_header FROM api_keys";

    private final Jdbi jdbi;
    private final StorageExecutor executor;

    JdbcApiKeyStore(Jdbi jdbi, StorageExecutor executor) {
        this.jdbi = jdbi;
        this.executor = executor;
    }

    @Override
    public CompletionStage<Void> create(ApiKey key, String secretHash) {
        return async(() -> jdbi.withHandle(h -> bindPolicy(h.createUpdate("""
                        INSERT INTO api_keys (id, secret_hash, owner, name, created_at, default_route, default_strategy, default_tier,
                            rpm, tpm, budget_day_usd, budget_month_usd, budget_total_usd, max_prompt_tokens, response_cache_ttl_seconds,
                            fallback_reply, locale, priority, priority_header)
                        VALUES (:id, :hash, :owner, :name, :created, :route, :strategy, :tier, :rpm, :tpm, :day, :month, :total, :maxPrompt, :cacheTtl,
                            :fallbackReply, :locale, :priority, :priorityHeader)""")
                .bind("id", key.id()).bind("hash", secretHash).bind("owner", key.owner()).bind("name", key.name())
                .bind("created", Timestamp.from(key.createdAt())), key.policy()).execute())).thenApply(rows -> null);
    }

    @Override
    public CompletionStage<Boolean> setPolicy(String id, KeyPolicy policy) {
        return async(() -> jdbi.withHandle(h -> bindPolicy(h.createUpdate("""
                        UPDATE api_keys SET default_route = :route, default_strategy = :strategy, default_tier = :tier, rpm = :rpm,
                            tpm = :tpm, budget_day_usd = :day, budget_month_usd = :month, budget_total_usd = :total,
                            max_prompt_tokens = :maxPrompt, response_cache_ttl_seconds = :cacheTtl, fallback_reply = :fallbackReply,
                            locale = :locale, priority = :priority, priority_header = :priorityHeader WHERE id = :id""")
                .bind("id", id), policy).execute() > 0));
    }

    private static Update bindPolicy(Update update, KeyPolicy policy) {
        return update.bind("route", policy.route().orElse(null)).bind("strategy", policy.strategy().map(Object::toString).orElse(null))
                .bind("tier", policy.tier().orElse(null)).bind("rpm", policy.rpm()).bind("tpm", policy.tpm()).bind("maxPrompt", policy.maxPromptTokens())
                .bind("day", policy.budgets().get(Budget.Period.DAY)).bind("month", policy.budgets().get(Budget.Period.MONTH))
                .bind("total", policy.budgets().get(Budget.Period.TOTAL))
                .bind("cacheTtl", policy.responseCacheTtl().map(java.time.Duration::toSeconds).orElse(null))
                .bind("fallbackReply", FallbackReplyColumn.write(policy.fallbackReply())).bind("locale", policy.locale().orElse(null))
                .bind("priority", policy.priority().label()).bind("priorityHeader", policy.priorityHeader());
    }

    @Override
    public CompletionStage<Optional<ApiKey>> findByHash(String secretHash) {
        return async(() -> jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE secret_hash = :hash").bind("hash", secretHash)
                .map((rs, ctx) -> key(rs)).findOne()));
    }

    @Override
    public CompletionStage<Optional<ApiKey>> find(String id) {
        return async(() -> jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE id = :id").bind("id", id).map((rs, ctx) -> key(rs)).findOne()));
    }

    @Override
    public CompletionStage<List<ApiKey>> list() {
        return async(() -> jdbi.withHandle(h -> h.createQuery(SELECT + " ORDER BY created_at, id").map((rs, ctx) -> key(rs)).list()));
    }

    @Override
    public CompletionStage<Boolean> revoke(String id, Instant at) {
        return async(() -> jdbi.withHandle(h -> {
            h.createUpdate("UPDATE api_keys SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
                    .bind("at", Timestamp.from(at)).bind("id", id).execute();
            return h.createQuery("SELECT COUNT(*) FROM api_keys WHERE id = :id").bind("id", id).mapTo(Long.class).one() > 0;
        }));
    }

    private static ApiKey key(ResultSet rs) throws SQLException {
        Timestamp revoked = rs.getTimestamp("revoked_at");
        return new ApiKey(rs.getString("id"), rs.getString("owner"), rs.getString("name"), rs.getTimestamp("created_at").toInstant(),
                Optional.ofNullable(revoked).map(Timestamp::toInstant), policy(rs));
    }

    private static KeyPolicy policy(ResultSet rs) throws SQLException {
        Map<Budget.Period, BigDecimal> budgets = new EnumMap<>(Budget.Period.class);
        for (Budget.Period period : Budget.Period.values()) {
            BigDecimal usd = rs.getBigDecimal("budget_" + period.name().toLowerCase(Locale.ROOT) + "_usd");
            if (usd != null) budgets.put(period, usd.stripTrailingZeros());
        }
        return new KeyPolicy(Optional.ofNullable(rs.getString("default_route")),
                Optional.ofNullable(rs.getString("default_strategy")).map(ContextStrategy::parse),
                Optional.ofNullable(rs.getString("default_tier")), rs.getLong("rpm"), rs.getLong("tpm"), budgets,
                rs.getLong("max_prompt_tokens"), Optional.ofNullable(rs.getObject("response_cache_ttl_seconds", Long.class)).map(java.time.Duration::ofSeconds),
                FallbackReplyColumn.read(rs.getString("fallback_reply")), Optional.ofNullable(rs.getString("locale")),
                io.sluice.domain.limits.Priority.parse(rs.getString("priority"), "priority"), rs.getBoolean("priority_header"));
    }

    private <T> CompletionStage<T> async(Supplier<T> work) {
        return executor.run(work);
    }
}
