package io.sluice.bench;

import io.sluice.domain.ConversationId;

/** Prints PostgreSQL's plan for reading a 128k-token window of the 1M-message conversation: {@code bench/explain-window}. */
public final class ExplainWindow {
    private ExplainWindow() {}

    public static void main(String[] args) throws Exception {
        long messages = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        try (var storage = BenchHistories.open()) {
            ConversationId id = BenchHistories.conversation(messages);
            long total = (messages + 1) * BenchHistories.TOKENS_PER_MESSAGE;
            System.out.print(BenchHistories.explainWindow(id, total - (ContextBuildBenchmark.WINDOW - ContextBuildBenchmark.RESERVE)));
        }
    }
}
