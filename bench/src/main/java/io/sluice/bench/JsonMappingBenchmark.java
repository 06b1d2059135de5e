package io.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatResponse;
import io.sluice.domain.Usage;
import io.sluice.http.openai.ChatRequestReader;
import io.sluice.http.openai.OpenAiJson;
import io.sluice.http.openai.ParsedChatRequest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JSON work of every call: reading the client's request, writing the upstream request, reading the upstream's
 * answer and writing the client's. Run: {@code bench/jmh JsonMapping}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JsonMappingBenchmark {
    private final ObjectMapper mapper = new ObjectMapper();
    private final OpenAiJson json = new OpenAiJson(mapper);
    private final ChatRequestReader reader = new ChatRequestReader(mapper);
    private byte[] clientRequest;
    private byte[] upstreamAnswer;
    private ParsedChatRequest parsed;
    private ChatResponse response;

    @Setup
    public void setUp() throws Exception {
        clientRequest = ("{\"model\":\"gpt-4o-mini\",\"temperature\":0.2,\"max_tokens\":300,\"user\":\"alice\",\"messages\":["
                + "{\"role\":\"system\",\"content\":\"You are the support assistant of an online shop. Be brief and kind.\"},"
                + "{\"role\":\"user\",\"content\":\"Hello, my order 1234 was due yesterday and has not arrived. Where is it?\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        parsed = reader.read(clientRequest);
        response = new ChatResponse("chatcmpl-1", "gpt-4o-mini", 1_795_430_000L,
                ChatMessage.assistant("Your order 1234 left our warehouse yesterday and should arrive tomorrow.", java.util.List.of()),
                "stop", new Usage(52, 17, 0));
        upstreamAnswer = json.writeResponse(response);
    }

    @Benchmark
    public ParsedChatRequest readClientRequest() {
        return reader.read(clientRequest);
    }

    @Benchmark
    public byte[] writeUpstreamRequest() {
        return json.writeRequest(parsed.request(), false);
    }

    @Benchmark
    public ChatResponse readUpstreamAnswer() throws Exception {
        return json.readResponse(mapper.readTree(upstreamAnswer));
    }

    @Benchmark
    public byte[] writeClientAnswer() {
        return json.writeResponse(response);
    }
}
