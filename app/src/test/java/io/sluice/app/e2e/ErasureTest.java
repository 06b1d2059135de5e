package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.sluice.engine.erasure.ErasureService;
import io.sluice.engine.erasure.Retention;
import io.sluice.jdbc.JdbcStorage;
import io.sluice.redis.RedisContextCache;
import io.sluice.redis.RedisLink;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Erasure, on PostgreSQL and H2, with Redis holding the conversations' cached windows: a purged conversation and an
 * erased end user leave no message, summary, vector or cache entry behind, and the ledger keeps every amount with
 * its user and conversation blanked; the retention sweep purges what is past its days and nothing else.
 */
class ErasureTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgres", "h2"})
    void purgeEraseAndRetainLeaveNothingBehindButTheAmounts(String storage) throws Exception {
        RedisClient client = RedisClient.create(TestGateway.REDIS_CACHE.redisUri());
        try (TestGateway sluice = TestGateway.on(storage, List.of(), TestGateway.REDIS_CACHE);
             StatefulRedisConnection<String, String> redis = client.connect()) {
            String alicesFirst = converse(sluice, "alice", "My address is 1 Main St, call me on 555-0100");
            String alicesSecond = converse(sluice, "alice", "And my card ends in 4242");
            String bobs = converse(sluice, "bob", "Where is my parcel?");
            assertThat(sluice.post("/v1/chat/completions", "{\"model\":\"gpt-4o-mini\",\"user\":\"alice\",\"messages\":[{\"role\":\"user\","
                    + "\"content\":\"stateless\"}]}").statusCode()).isEqualTo(200);
            assertThat(redis.sync().exists("sluice:ctx:" + alicesFirst)).as("the window is cached").isEqualTo(1);
            BigDecimal billed = total(sluice);
            long bills = count(sluice, "SELECT COUNT(*) FROM usage_ledger");

            HttpResponse<String> purged = sluice.delete("/v1/conversations/" + alicesFirst + "?purge=true");
            assertThat(purged.statusCode()).as(purged.body()).isEqualTo(200);
            assertThat(JSON.readTree(purged.body()).path("purged").asBoolean()).isTrue();
            assertGone(sluice, redis, alicesFirst);
            assertThat(sluice.get("/v1/conversations/" + alicesFirst).statusCode()).isEqualTo(404);
            assertThat(sluice.delete("/v1/conversations/" + alicesFirst + "?purge=true").statusCode()).as("purged twice").isEqualTo(404);
            assertThat(sluice.delete("/v1/conversations/" + bobs + "?purge=maybe").statusCode()).isEqualTo(400);

            HttpResponse<String> erased = sluice.delete("/admin/users/default/alice");
            assertThat(erased.statusCode()).as(erased.body()).isEqualTo(200);
            JsonNode report = JSON.readTree(erased.body());
            assertThat(report.path("conversations_purged").asLong()).isEqualTo(1);
            assertThat(report.path("ledger_entries_anonymized").asLong()).as("the stateless call's bill").isEqualTo(1);
            assertGone(sluice, redis, alicesSecond);
            assertThat(count(sluice, "SELECT COUNT(*) FROM usage_ledger WHERE end_user = 'alice'")).isZero();
            assertThat(count(sluice, "SELECT COUNT(*) FROM usage_ledger")).as("every bill is kept").isEqualTo(bills);
            assertThat(total(sluice)).as("with its amount").isEqualByComparingTo(billed);
            assertThat(sluice.get("/v1/conversations/" + bobs).statusCode()).as("bob is untouched").isEqualTo(200);
            assertThat(count(sluice, "SELECT COUNT(*) FROM usage_ledger WHERE end_user = 'bob'")).isPositive();
            assertThat(sluice.delete("/admin/users/default/alice").body()).as("erasing again finds nothing")
                    .contains("\"conversations_purged\":0");

            String recent = converse(sluice, "carol", "Hi");
            BigDecimal beforeSweep = total(sluice);
            Sql.update(sluice.storage, "UPDATE conversations SET updated_at = ? WHERE id = ?",
                    Timestamp.from(Instant.now().minus(Duration.ofDays(40))), bobs);
            try (JdbcStorage jdbc = JdbcStorage.open(sluice.storage);
                 RedisLink link = RedisLink.open(TestGateway.REDIS_CACHE.redisUri(), RedisLink.DEFAULT_COMMAND_TIMEOUT)) {
                link.awaitConnection(Duration.ofSeconds(5));
                Retention retention = new Retention(new ErasureService(jdbc.erasure(), new RedisContextCache(link, JSON, Duration.ofMinutes(5))),
                        30, Map.of("default", 30), Clock.systemUTC());

                assertThat(retention.sweep().toCompletableFuture().get()).isEqualTo(1);
            }
            assertGone(sluice, redis, bobs);
            assertThat(sluice.get("/v1/conversations/" + recent).statusCode()).as("within its retention").isEqualTo(200);
            assertThat(total(sluice)).as("the sweep keeps every amount").isEqualByComparingTo(beforeSweep);
        } finally {
            client.shutdown();
        }
    }

    /** Starts a conversation of {@code user} and takes a second turn (which warms its cached window); returns its id. */
    private static String converse(TestGateway sluice, String user, String text) {
        String body = "{\"model\":\"gpt-4o-mini\",\"user\":\"" + user + "\",\"messages\":[{\"role\":\"user\",\"content\":" + TestGateway.quote(text) + "}]}";
        HttpResponse<String> first = sluice.post("/v1/chat/completions", body, "X-Conversation-Id", "new");
        assertThat(first.statusCode()).isEqualTo(200);
        String id = first.headers().firstValue("X-Conversation-Id").orElseThrow();
        assertThat(sluice.post("/v1/chat/completions", body, "X-Conversation-Id", id).statusCode()).isEqualTo(200);
        return id;
    }

    private static void assertGone(TestGateway sluice, StatefulRedisConnection<String, String> redis, String id) {
        for (String table : List.of("conversations WHERE id", "messages WHERE conversation_id", "message_vectors WHERE conversation_id",
                "usage_ledger WHERE conversation_id")) {
            assertThat(count(sluice, "SELECT COUNT(*) FROM " + table + " = ?", id)).as(table).isZero();
        }
        assertThat(redis.sync().exists("sluice:ctx:" + id)).as("the cached window").isZero();
    }

    private static long count(TestGateway sluice, String sql, Object... params) {
        return ((Number) Sql.value(sluice.storage, sql, params)).longValue();
    }

    private static BigDecimal total(TestGateway sluice) {
        return (BigDecimal) Sql.value(sluice.storage, "SELECT COALESCE(SUM(cost), 0) FROM usage_ledger");
    }
}
