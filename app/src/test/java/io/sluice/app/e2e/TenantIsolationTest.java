package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.domain.keys.KeySecrets;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Gateway API keys over HTTP on PostgreSQL: each key sees only its owner's data, revocation is immediate, secrets are never stored. */
class TenantIsolationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "admin-key-for-tests-0123456789";
    private static TestGateway sluice;

    @BeforeAll
    static void start() {
        sluice = TestGateway.onPostgresWithKeys(ADMIN);
    }

    @AfterAll
    static void stop() throws Exception {
        sluice.close();
    }

    private static String[] bearer(String key) {
        return new String[] {"Authorization", "Bearer " + key};
    }

    private static JsonNode createKey(String owner) throws Exception {
        HttpResponse<String> created = sluice.post("/admin/keys", "{\"owner\":\"" + owner + "\",\"name\":\"ci\"}", bearer(ADMIN));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body());
    }

    private static String[] with(String key, String... more) {
        List<String> headers = new ArrayList<>(List.of(bearer(key)));
        headers.addAll(List.of(more));
        return headers.toArray(String[]::new);
    }

    private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"My order 77 is late\"}]}";

    @Test
    void aKeyCanNeitherReadListNorDeleteAnotherOwnersConversationsOrUsage() throws Exception {
        String a = createKey("tenant-a").path("key").asText();
        String b = createKey("tenant-b").path("key").asText();

        HttpResponse<String> turn = sluice.post("/v1/chat/completions", CHAT, with(a, "X-Conversation-Id", "new"));
        assertThat(turn.statusCode()).isEqualTo(200);
        String conversation = turn.headers().firstValue("X-Conversation-Id").orElseThrow();

        assertThat(sluice.get("/v1/conversations/" + conversation, bearer(a)).statusCode()).isEqualTo(200);
        assertThat(sluice.get("/v1/conversations/" + conversation, bearer(b)).statusCode()).isEqualTo(404);
        assertThat(sluice.get("/v1/conversations/" + conversation + "/items", bearer(b)).statusCode()).isEqualTo(404);
        assertThat(sluice.delete("/v1/conversations/" + conversation, bearer(b)).statusCode()).isEqualTo(404);
        assertThat(sluice.post("/v1/chat/completions", CHAT, with(b, "X-Conversation-Id", conversation)).statusCode()).isEqualTo(404);
        assertThat(sluice.get("/v1/conversations", bearer(b)).body()).doesNotContain(conversation);
        assertThat(sluice.get("/v1/conversations", bearer(a)).body()).contains(conversation);

        assertThat(JSON.readTree(sluice.get("/v1/usage", bearer(a)).body()).path("total").path("requests").asLong()).isEqualTo(1);
        assertThat(JSON.readTree(sluice.get("/v1/usage", bearer(b)).body()).path("total").path("requests").asLong())
                .as("b's only call was refused: nothing billed to b").isZero();
        assertThat(sluice.get("/v1/conversations/" + conversation, bearer(a)).statusCode()).as("b's delete changed nothing").isEqualTo(200);
    }

    @Test
    void callsWithoutAValidKeyAndAdminCallsWithoutTheAdminKeyAre401() {
        assertThat(sluice.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = sluice.post("/v1/chat/completions", CHAT, bearer("sk-sluice-not-a-real-key"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("invalid_api_key").doesNotContain("not-a-real-key");
        assertThat(sluice.get("/admin/keys").statusCode()).isEqualTo(401);
        assertThat(sluice.get("/admin/usage", bearer("sk-sluice-someone")).statusCode()).isEqualTo(401);
        assertThat(sluice.get("/health/live").statusCode()).as("health stays open").isEqualTo(200);
    }

    @Test
    void aRevokedKeyIsRefusedFromTheVeryNextRequest() throws Exception {
        JsonNode key = createKey("tenant-c");
        String secret = key.path("key").asText();
        assertThat(sluice.post("/v1/chat/completions", CHAT, bearer(secret)).statusCode()).isEqualTo(200);

        HttpResponse<String> revoked = sluice.delete("/admin/keys/" + key.path("id").asText(), bearer(ADMIN));
        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(revoked.body()).contains("\"revoked_at\":").doesNotContain("\"revoked_at\":null");

        assertThat(sluice.post("/v1/chat/completions", CHAT, bearer(secret)).statusCode()).isEqualTo(401);
        assertThat(sluice.delete("/admin/keys/key_nope", bearer(ADMIN)).statusCode()).isEqualTo(404);
    }

    @Test
    void keysAreStoredOnlyAsHashesAndListedWithoutSecrets() throws Exception {
        JsonNode key = createKey("tenant-d");
        String secret = key.path("key").asText();
        assertThat(secret).startsWith(KeySecrets.PREFIX).hasSizeGreaterThan(40);

        assertThat(sluice.get("/admin/keys", bearer(ADMIN)).body()).contains(key.path("id").asText()).doesNotContain(secret)
                .doesNotContain(KeySecrets.hash(secret));
        try (Connection db = DriverManager.getConnection(sluice.storage.jdbcUrl(), sluice.storage.user(), sluice.storage.password());
             ResultSet rows = db.createStatement().executeQuery("SELECT * FROM api_keys WHERE id = '" + key.path("id").asText() + "'")) {
            assertThat(rows.next()).isTrue();
            for (int c = 1; c <= rows.getMetaData().getColumnCount(); c++) {
                assertThat(String.valueOf(rows.getObject(c))).doesNotContain(secret.substring(KeySecrets.PREFIX.length()));
            }
            assertThat(rows.getString("secret_hash")).isEqualTo(KeySecrets.hash(secret));
        }
        assertThat(sluice.post("/admin/keys", "{\"name\":\"no owner\"}", bearer(ADMIN)).statusCode()).isEqualTo(400);
    }
}
