package io.sluice.bench.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.Conversation;
import io.sluice.domain.ConversationId;
import io.sluice.domain.Usage;
import io.sluice.domain.usage.UsageEntry;
import io.sluice.jdbc.JdbcStorage;
import io.sluice.jdbc.StorageSettings;
import io.sluice.ports.out.ConversationStore;
import io.sluice.ports.out.NewMessage;
import io.sluice.ports.out.UsageLedger;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one stored turn (or one stateless bill) costs the database and the gateway's storage code, by the size of the
 * group written together, without HTTP in the way: {@code threads} writers (as many as the gateway keeps in flight)
 * each write groups of {@code group} turns of different conversations ({@link ConversationStore#appendAll}) or bills
 * ({@link UsageLedger#record}) for 8 s of warm-up and {@code seconds} measured; prints the rate and the CPU a write
 * took in PostgreSQL's processes (read from /proc) and in this one. Run by {@code bench/store-writes}.
 *
 * <p>Arguments: {@code turns|bills jdbcUrl group threads seconds}.
 */
public final class StoreWrites {
    private StoreWrites() {}

    public static void main(String[] args) throws Exception {
        String what = args[0];
        String url = args[1];
        int group = Integer.parseInt(args[2]), threads = Integer.parseInt(args[3]), seconds = Integer.parseInt(args[4]);
        try (JdbcStorage storage = JdbcStorage.open(new StorageSettings(StorageSettings.Dialect.POSTGRESQL, url, "postgres", "", 16))) {
            ConversationStore store = storage.conversations(new ObjectMapper());
            UsageLedger ledger = storage.usageLedger();
            List<Conversation> conversations = new ArrayList<>();
            for (int i = 0; i < 400; i++) conversations.add(Conversation.start(ConversationId.random(), "owner", "user", Instant.now()));
            AtomicLong written = new AtomicLong(), requests = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean(), measuring = new AtomicBoolean();
            String text = "The quick brown fox jumps over the lazy dog. ".repeat(4);
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Random random = new Random(t);
                writers.add(Thread.ofPlatform().start(() -> {
                    while (!stop.get()) {
                        if (what.equals("turns")) {
                            List<ConversationStore.Append> turns = new ArrayList<>();
                            Set<Integer> taken = new HashSet<>();
                            while (turns.size() < group) {
                                int c = random.nextInt(conversations.size());
                                if (!taken.add(c)) continue;
                                Conversation conversation = conversations.get(c);
                                turns.add(new ConversationStore.Append(conversation, List.of(
                                        new NewMessage(ChatMessage.user(text), 40, "gpt-4o-mini", Map.of()),
                                        new NewMessage(ChatMessage.assistant(text), 40, "gpt-4o-mini", Map.of())),
                                        List.of(entry(requests, conversation.id().value()))));
                            }
                            store.appendAll(turns).toCompletableFuture().join();
                        } else {
                            List<UsageEntry> bills = new ArrayList<>();
                            for (int i = 0; i < group; i++) bills.add(entry(requests, null));
                            ledger.record(bills).toCompletableFuture().join();
                        }
                        if (measuring.get()) written.addAndGet(group);
                    }
                }));
            }
            Thread.sleep(8_000);
            var process = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long database = postgresTicks(), own = process.getProcessCpuTime(), start = System.nanoTime();
            measuring.set(true);
            Thread.sleep(seconds * 1_000L);
            measuring.set(false);
            double databaseMs = (postgresTicks() - database) * 10.0, ownMs = (process.getProcessCpuTime() - own) / 1e6;
            double elapsed = (System.nanoTime() - start) / 1e9, n = written.get();
            stop.set(true);
            for (Thread writer : writers) writer.join();
            System.out.printf("%s in groups of %d, %d writers: %.0f a second; CPU a write: PostgreSQL %.3f ms, the writer %.3f ms%n",
                    what, group, threads, n / elapsed, databaseMs / n, ownMs / n);
        }
    }

    private static UsageEntry entry(AtomicLong requests, String conversation) {
        return new UsageEntry("req-" + requests.incrementAndGet(), 1, "owner", null, "user", conversation, "sim0", "gpt-4o-mini", "sim0",
                new Usage(120, 40, 0), new BigDecimal("0.000123400"), 5, UsageEntry.Outcome.OK, Instant.now());
    }

    /** CPU ticks (1/100 s) used so far by every PostgreSQL process on this machine. */
    private static long postgresTicks() throws IOException {
        long ticks = 0;
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : processes) {
                try {
                    if (!Files.readString(p.resolve("cmdline")).startsWith("postgres")) continue;
                    String stat = Files.readString(p.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                } catch (IOException gone) {
                    // the process ended meanwhile
                }
            }
        }
        return ticks;
    }
}
