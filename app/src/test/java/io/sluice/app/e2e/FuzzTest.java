package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Over 10,000 generated requests over HTTP against a gateway on PostgreSQL: chat bodies mutated from a valid one,
 * conversations and admin bodies, query strings, paths and raw bytes, with hostile strings (NUL, control characters,
 * lone surrogates, 300-character names), numbers past every range, and values of the wrong type. Every answer comes
 * within 2 s, none is a 5xx, every error is in OpenAI's shape, and neither an answer nor the log carries a stack
 * trace or a secret. About 30 s on this machine.
 */
class FuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    private static final List<String> FIELDS = List.of("model", "messages", "role", "content", "name", "tool_call_id", "tool_calls", "temperature",
            "top_p", "max_tokens", "max_completion_tokens", "n", "stream", "stream_options", "include_usage", "user", "tools", "tool_choice",
            "function", "type", "response_format", "seed", "stop", "metadata", "system_prompt", "context_strategy", "owner", "budgets", "limits",
            "day", "month", "total", "rpm", "tpm", "defaults", "route", "tier", "text");
    private static final List<String> STRINGS = List.of("", "gpt-4o-mini", "user", "system", "assistant", "tool", "developer", "function",
            "new", "conv_00000000000000000000000000000000", "sliding_window(3)", "semantic(2)", "token_budget", "full", "rolling_summary",
            "a\u0000b", "\u0007bell", "\u007f", "\ud800", "\udc00x", "line\nbreak", "😀", "Xin chào", "1e999999999", "-1", "NaN", "../../etc",
            "%00", "' OR 1=1 --", "<script>", "u".repeat(300), "sk-sim-secret-guess");

    private static TestGateway sluice;
    private static final List<String> problems = new CopyOnWriteArrayList<>();
    private static final AtomicInteger sent = new AtomicInteger();
    private static final java.util.Map<Integer, AtomicInteger> statuses = new java.util.concurrent.ConcurrentSkipListMap<>();
    private static final Handler LOG_WATCH = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String text = record.getMessage() == null ? "" : record.getMessage();
            if (record.getLevel().intValue() >= Level.SEVERE.intValue() || record.getThrown() != null || text.contains("\tat ")) {
                problems.add("log: " + record.getLevel() + " " + text);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeContainer
    static void start() {
        sluice = TestGateway.onPostgres();
        Logger.getLogger("").addHandler(LOG_WATCH);
    }

    @AfterContainer
    static void stop() throws Exception {
        Logger.getLogger("").removeHandler(LOG_WATCH);
        sluice.close();
        System.out.println("fuzz: " + sent.get() + " requests, answers by status " + statuses);
        assertThat(problems).as("answers or log lines that break the rules").isEmpty();
        assertThat(sent.get()).as("requests sent").isGreaterThanOrEqualTo(10_000);
        // the generators reach past the parsers: calls are answered, refused as bad, and routed to what is not there
        assertThat(statuses).as("answers by status: " + statuses).containsKeys(200, 201, 400, 404);
    }

    @Property(tries = 4_500)
    void chatBodies(@ForAll("seeds") long seed) {
        Random random = new Random(seed);
        ObjectNode body = validChat();
        for (int i = random.nextInt(4); i >= 0; i--) mutate(body, random, 0);
        String[] headers = random.nextInt(4) == 0 ? new String[] {"X-Conversation-Id", random.nextBoolean() ? "new" : pick(random)} : new String[0];
        check("POST", "/v1/chat/completions", body.toString().getBytes(StandardCharsets.UTF_8), headers);
    }

    @Property(tries = 2_000)
    void conversationsApi(@ForAll("seeds") long seed) {
        Random random = new Random(seed);
        switch (random.nextInt(3)) {
            case 0 -> check("POST", "/v1/conversations", value(random, 0, true).toString().getBytes(StandardCharsets.UTF_8));
            case 1 -> check("GET", "/v1/conversations/" + pathSegment(random), null);
            default -> check("GET", "/v1/conversations?limit=" + query(random) + "&user=" + query(random) + "&after=" + query(random), null);
        }
    }

    @Property(tries = 2_000)
    void adminApi(@ForAll("seeds") long seed) {
        Random random = new Random(seed);
        byte[] body = value(random, 0, true).toString().getBytes(StandardCharsets.UTF_8);
        switch (random.nextInt(5)) {
            case 0 -> check("POST", "/admin/keys", body);
            case 1 -> check("PUT", "/admin/keys/" + pathSegment(random) + "/policy", body);
            case 2 -> check("PUT", "/admin/routes/" + pathSegment(random) + "/weights", body);
            case 3 -> check("GET", "/admin/usage?start_time=" + query(random) + "&end_time=" + query(random) + "&group_by=" + query(random), null);
            default -> check("POST", "/admin/upstreams/keys/enable", body);
        }
    }

    @Property(tries = 2_500)
    void pathsAndRawBytes(@ForAll("seeds") long seed) {
        Random random = new Random(seed);
        String[] methods = {"GET", "POST", "PUT", "DELETE", "PATCH"};
        String[] roots = {"/v1/chat/completions", "/v1/conversations/", "/v1/models", "/admin/keys/", "/v1/usage", "/health/ready", "/", "/v1/"};
        byte[] bytes = new byte[random.nextInt(200)];
        random.nextBytes(bytes);
        check(methods[random.nextInt(methods.length)], roots[random.nextInt(roots.length)] + pathSegment(random), random.nextBoolean() ? bytes : null);
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    private static void check(String method, String path, byte[] body, String... headers) {
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sluice.gateway.port() + path)).timeout(Duration.ofSeconds(2))
                    .header("content-type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            if (headers.length > 0) request.headers(headers);
        } catch (IllegalArgumentException notSendable) {
            return; // a URL or header the client library refuses to send: TransportErrorsTest sends those raw
        }
        sent.incrementAndGet();
        HttpResponse<String> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            problems.add(method + " " + path + ": no answer within 2 s (" + e.getClass().getSimpleName() + ")");
            return;
        }
        String answer = response.body();
        statuses.computeIfAbsent(response.statusCode(), k -> new AtomicInteger()).incrementAndGet();
        if (response.statusCode() >= 500) problems.add(method + " " + path + ": " + response.statusCode() + " " + clip(answer));
        if (answer.contains("Exception") || answer.contains("\tat ") || answer.contains("sk-sim-secret\"") || answer.contains("jdbc:")) {
            problems.add(method + " " + path + ": leaks " + clip(answer));
        }
        if (response.statusCode() >= 400 && !isOpenAiError(answer)) problems.add(method + " " + path + ": not OpenAI's error shape: " + clip(answer));
    }

    private static boolean isOpenAiError(String answer) {
        try {
            JsonNode error = JSON.readTree(answer).path("error");
            return error.path("message").isTextual() && !error.path("message").asText().isBlank() && error.path("type").isTextual()
                    && error.has("param") && error.has("code");
        } catch (Exception e) {
            return false;
        }
    }

    private static ObjectNode validChat() {
        ObjectNode body = NODES.objectNode().put("model", "gpt-4o-mini");
        body.putArray("messages").addObject().put("role", "user").put("content", "Where is my parcel?");
        return body;
    }

    /** Replaces or adds one field somewhere in the tree with a generated value. */
    private static void mutate(JsonNode node, Random random, int depth) {
        if (node instanceof ObjectNode object) {
            if (!object.isEmpty() && depth < 3 && random.nextInt(3) == 0) {
                List<String> names = iterableToList(object.fieldNames());
                mutate(object.get(names.get(random.nextInt(names.size()))), random, depth + 1);
            } else {
                object.set(FIELDS.get(random.nextInt(FIELDS.size())), value(random, depth, false));
            }
        } else if (node instanceof ArrayNode array) {
            if (!array.isEmpty() && random.nextBoolean()) mutate(array.get(random.nextInt(array.size())), random, depth + 1);
            else array.add(value(random, depth, false));
        }
    }

    private static JsonNode value(Random random, int depth, boolean object) {
        int kind = object ? 7 : random.nextInt(depth >= 3 ? 6 : 8);
        return switch (kind) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(new long[] {0, -1, 1, 2, 4294967297L, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE}[random.nextInt(8)]);
            case 3 -> NODES.numberNode(new BigDecimal(new String[] {"1.5", "-0.0", "1e20", "1e999999999", "123456789012.123456789", "3",
                    "0.0000000001", "9".repeat(900)}[random.nextInt(8)]));
            case 4, 5 -> NODES.textNode(pick(random));
            case 6 -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) array.add(value(random, depth + 1, false));
                yield array;
            }
            default -> {
                ObjectNode o = NODES.objectNode();
                for (int i = random.nextInt(5); i > 0; i--) o.set(random.nextInt(5) == 0 ? pick(random) : FIELDS.get(random.nextInt(FIELDS.size())),
                        value(random, depth + 1, false));
                yield o;
            }
        };
    }

    private static String pick(Random random) {
        if (random.nextInt(4) > 0) return STRINGS.get(random.nextInt(STRINGS.size()));
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) s.append((char) random.nextInt(0x10000));
        return s.toString();
    }

    private static String pathSegment(Random random) {
        String[] parts = {"conv_0123456789abcdef0123456789abcdef", "%zz", "%00", "%07", "%C3%28", "%ED%A0%80", "..", "a".repeat(300), "key_1",
                "default", "%2F", "msg_1", "x%20y", "items", ""};
        return parts[random.nextInt(parts.length)] + (random.nextInt(3) == 0 ? "/" + parts[random.nextInt(parts.length)] : "");
    }

    private static String query(Random random) {
        String[] values = {"", "-1", "0", "10", "9999999999999", "-99999999999999", "99999999999999999999", "abc", "%00", "%zz", "day,model",
                "planet", "1e3", "%ED%A0%80"};
        return values[random.nextInt(values.length)];
    }

    private static String clip(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    private static <T> List<T> iterableToList(java.util.Iterator<T> it) {
        List<T> list = new java.util.ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }
}
