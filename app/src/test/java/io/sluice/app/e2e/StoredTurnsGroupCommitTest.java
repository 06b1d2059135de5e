package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testkit.db.PostgresTestSchema;
import io.sluice.testkit.simulator.Simulator;
import io.sluice.testkit.simulator.SimulatorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Stored turns of many conversations at once share transactions (group commit), two clients sending turns into each
 * conversation at once, and a gateway killed with {@code kill -9} under that load loses nothing it acknowledged and
 * doubles nothing: every conversation in the database holds each acknowledged turn once, with seqs that run on without
 * a gap, and each answer's bill once.
 */
class StoredTurnsGroupCommitTest {
    private static final int CONVERSATIONS = 48;
    /** Clients sending turns into each conversation at once, as an agent's parallel calls do. */
    private static final int TALKERS = 2;
    private static final Pattern BATCH_MAX = Pattern.compile("sluice_storage_batch_size_max\\{what=\"turns\"} ([0-9.]+)");

    @Test
    void turnsShareCommitsAndAKillLosesNothingAcknowledgedAndDoublesNothing() throws Exception {
        try (PostgresTestSchema schema = new PostgresTestSchema(); Simulator sim = new Simulator(SimulatorConfig.ofDefaults());
             HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
             ExecutorService pool = Executors.newFixedThreadPool(CONVERSATIONS * TALKERS)) {
            sim.start(0);
            String yaml = GatewayProcess.onPostgres(schema, 8) + """
                      providers:
                        sim: {type: openai, base-url: "%s", api-key: sk-sim}
                      models:
                        gpt-4o-mini: {provider: sim, input-price: 0.15, output-price: 0.6}
                    """.formatted(sim.baseUrl());
            Map<String, List<String>> acknowledged = new ConcurrentHashMap<>();
            AtomicBoolean killed = new AtomicBoolean();
            double largestBatch;
            try (GatewayProcess gateway = new GatewayProcess(yaml)) {
                List<Future<?>> talkers = new ArrayList<>();
                List<CompletableFuture<String>> opened = new ArrayList<>();
                for (int c = 0; c < CONVERSATIONS; c++) opened.add(new CompletableFuture<>());
                for (int t = 0; t < CONVERSATIONS * TALKERS; t++) {
                    int conversation = t / TALKERS;
                    int talker = t % TALKERS;
                    talkers.add(pool.submit(() -> {
                        // the first talker opens the conversation; the others then send their turns into it alongside it
                        String id = talker == 0 ? "new" : opened.get(conversation).join();
                        if (id == null) return null;
                        for (int turn = 1; !killed.get(); turn++) {
                            String text = "conversation " + conversation + " talker " + talker + " turn " + turn;
                            HttpResponse<String> answer;
                            try {
                                answer = http.send(chat(gateway, id, text), HttpResponse.BodyHandlers.ofString());
                            } catch (Exception gone) {
                                break;
                            }
                            if (answer.statusCode() != 200) break;
                            id = answer.headers().firstValue("X-Conversation-Id").orElseThrow();
                            opened.get(conversation).complete(id);
                            acknowledged.computeIfAbsent(id, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(text);
                        }
                        opened.get(conversation).complete(null);
                        return null;
                    }));
                }
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                        .until(() -> acknowledged.values().stream().mapToInt(List::size).sum() >= 400); // the load well under way
                Matcher batch = BATCH_MAX.matcher(gateway.send("GET", "/metrics", null).body());
                assertThat(batch.find()).as("the batch size is measured").isTrue();
                largestBatch = Double.parseDouble(batch.group(1));
                killed.set(true);
                gateway.kill();
                for (Future<?> t : talkers) t.get();
            }
            System.out.printf("stored turns group commit: %d turns acknowledged in %d conversations before kill -9; largest batch %.0f%n",
                    acknowledged.values().stream().mapToInt(List::size).sum(), acknowledged.size(), largestBatch);
            assertThat(largestBatch).as("turns of different conversations shared a transaction").isGreaterThan(1);
            assertThat(acknowledged).hasSizeGreaterThan(CONVERSATIONS / 2);

            try (Connection db = DriverManager.getConnection(schema.jdbcUrl(), schema.user(), schema.password())) {
                for (Map.Entry<String, List<String>> conversation : acknowledged.entrySet()) {
                    List<String> userTexts = new ArrayList<>();
                    List<Long> seqs = new ArrayList<>();
                    try (var select = db.prepareStatement("SELECT seq, role, content FROM messages WHERE conversation_id = ? ORDER BY seq")) {
                        select.setString(1, conversation.getKey());
                        try (ResultSet rs = select.executeQuery()) {
                            while (rs.next()) {
                                seqs.add(rs.getLong(1));
                                if (rs.getString(2).equals("user")) userTexts.add(rs.getString(3));
                            }
                        }
                    }
                    assertThat(seqs).as("no gap, no seq twice").isEqualTo(java.util.stream.LongStream.rangeClosed(1, seqs.size()).boxed().toList());
                    assertThat(userTexts).as("each turn once").doesNotHaveDuplicates();
                    assertThat(userTexts).as("every acknowledged turn").containsAll(conversation.getValue());
                    try (var select = db.prepareStatement("SELECT COUNT(*), COUNT(DISTINCT request_id) FROM usage_ledger WHERE conversation_id = ?")) {
                        select.setString(1, conversation.getKey());
                        try (ResultSet rs = select.executeQuery()) {
                            rs.next();
                            assertThat(rs.getLong(1)).as("a bill per stored answer, once").isEqualTo(rs.getLong(2)).isEqualTo(seqs.size() / 2);
                        }
                    }
                }
                try (var s = db.createStatement(); ResultSet rs = s.executeQuery("""
                        SELECT (SELECT COUNT(*) FROM usage_ledger), (SELECT COALESCE(SUM(cost), 0) FROM usage_ledger),
                               (SELECT COALESCE(SUM(requests), 0) FROM usage_daily) + (SELECT COALESCE(SUM(requests), 0) FROM usage_pending),
                               (SELECT COALESCE(SUM(cost), 0) FROM usage_daily) + (SELECT COALESCE(SUM(cost), 0) FROM usage_pending)""")) {
                    rs.next();
                    assertThat(rs.getLong(3)).as("the day rollups count every bill the ledger holds, once, whatever the kill cut").isEqualTo(rs.getLong(1));
                    assertThat(rs.getBigDecimal(4)).isEqualByComparingTo(rs.getBigDecimal(2));
                }
            }
        }
    }

    private static HttpRequest chat(GatewayProcess gateway, String conversation, String text) {
        return HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions")).timeout(Duration.ofSeconds(10))
                .header("content-type", "application/json").header("X-Conversation-Id", conversation)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}"))
                .build();
    }
}
