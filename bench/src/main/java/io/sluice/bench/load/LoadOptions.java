package io.sluice.bench.load;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One load run, from the command line: {@code --url} (a chat completions URL), {@code --rate} (calls per second, open
 * loop) or {@code --max} (calls in flight, closed loop, for maximum throughput), {@code --seconds}, {@code --warmup},
 * {@code --stream}, {@code --model}, {@code --conversations} (continue that many stored conversations, round robin),
 * {@code --turns} (with {@code --conversations}: a conversation that has had that many turns is replaced by a new one, so
 * that conversations stay as long as a support chat's, not growing for the whole run; 0, the default, never),
 * {@code --header K:V} (repeatable), {@code --pid} (a process whose CPU and RSS to sample; repeatable),
 * {@code --max-tokens} (bounds each answer), {@code --drain} (seconds to wait for calls still in flight after the
 * window, 30 by default), {@code --temperature} (sent when set: 0 makes the calls cacheable), {@code --vary} (no two questions alike), {@code --label} and {@code --out} (a file the result is appended to, one JSON object per line).
 */
record LoadOptions(URI url, int rate, int maxInFlight, int seconds, int warmupSeconds, boolean stream, String model,
                   int conversations, List<String[]> headers, List<Long> pids, String label, Path out, int maxTokens, int drainSeconds,
                   Double temperature, boolean vary, int turns) {
    static LoadOptions parse(String[] args) {
        URI url = null;
        int rate = 0, max = 0, seconds = 10, warmup = 3, conversations = 0, maxTokens = 0, drain = 30, turns = 0;
        boolean stream = false;
        Double temperature = null;
        boolean vary = false;
        String model = "gpt-4o-mini", label = "run";
        Path out = Path.of("bench-results.jsonl");
        List<String[]> headers = new ArrayList<>();
        List<Long> pids = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--url" -> url = URI.create(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--max" -> max = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--stream" -> stream = true;
                case "--model" -> model = args[++i];
                case "--conversations" -> conversations = Integer.parseInt(args[++i]);
                case "--header" -> headers.add(args[++i].split(":", 2));
                case "--pid" -> pids.add(Long.parseLong(args[++i]));
                case "--label" -> label = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                case "--max-tokens" -> maxTokens = Integer.parseInt(args[++i]);
                case "--drain" -> drain = Integer.parseInt(args[++i]);
                case "--temperature" -> temperature = Double.parseDouble(args[++i]);
                case "--vary" -> vary = true;
                case "--turns" -> turns = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (url == null || (rate > 0) == (max > 0)) throw new IllegalArgumentException("need --url and one of --rate or --max");
        return new LoadOptions(url, rate, max, seconds, warmup, stream, model, conversations, headers, pids, label, out, maxTokens, drain, temperature, vary,
                turns);
    }

    String mode() {
        return rate > 0 ? "rate" : "max";
    }
}
