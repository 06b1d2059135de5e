package io.sluice.bench;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.Encoding;
import io.sluice.engine.tokens.JtokkitTokenCounter;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of counting one message's tokens on the hot path (every stored message is counted once).
 * Run: {@code bench/jmh TokenCounting}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TokenCountingBenchmark {
    @Param({"o200k_base", "cl100k_base"})
    public String encodingName;

    @Param({"short", "long"})
    public String size;

    private final JtokkitTokenCounter counter = new JtokkitTokenCounter();
    private Encoding encoding;
    private ChatMessage message;

    @org.openjdk.jmh.annotations.Setup
    public void setUp() {
        encoding = Encoding.fromName(encodingName).orElseThrow();
        String sentence = "Xin chào! My order #1234 has not arrived yet, could you check the delivery status please? ";
        message = ChatMessage.user("short".equals(size) ? sentence : sentence.repeat(40));
    }

    @Benchmark
    public int countMessage() {
        return counter.countMessage(message, encoding);
    }
}
