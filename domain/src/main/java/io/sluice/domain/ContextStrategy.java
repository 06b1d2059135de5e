package io.sluice.domain;

import io.sluice.domain.error.InvalidRequestException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the history of a stored conversation is chosen for the next call. Immutable.
 * <ul>
 *   <li>{@code full}: all of it, or the call fails with {@code context_length_exceeded};</li>
 *   <li>{@code sliding_window(n)}: the last n messages (fewer if they do not fit);</li>
 *   <li>{@code token_budget}: the newest messages that fit;</li>
 *   <li>{@code rolling_summary}: the conversation's summary, then every message it does not cover (the caller hands
 *       only those to the builder), or {@link io.sluice.domain.error.SummaryNeededException} when they do not fit.</li>
 * </ul>
 * Every strategy keeps the system prompt, never separates a tool call from its results, never cuts a message, and
 * returns a context that fits, or fails.
 */
public sealed interface ContextStrategy {
    int DEFAULT_WINDOW_MESSAGES = 20;
    /** Bounds the window so that a header cannot make the gateway read a whole history. */
    int MAX_WINDOW_MESSAGES = 10_000;

    record Full() implements ContextStrategy {
        @Override
        public String toString() {
            return "full";
        }
    }

    record SlidingWindow(int messages) implements ContextStrategy {
        public SlidingWindow {
            requireCount("sliding_window(n)", messages, 1);
        }

        @Override
        public String toString() {
            return "sliding_window(" + messages + ")";
        }
    }

    record TokenBudget() implements ContextStrategy {
        @Override
        public String toString() {
            return "token_budget";
        }
    }

    /** A summary of the older messages, then every message the summary does not cover. */
    record RollingSummary() implements ContextStrategy {
        @Override
        public String toString() {
            return "rolling_summary";
        }
    }

    /**
     * The newest {@code recentMessages} messages, then the older messages most relevant to the new message, up to the
     * budget, sent in chronological order.
     */
    record Semantic(int recentMessages) implements ContextStrategy {
        public Semantic {
            requireCount("semantic(k)", recentMessages, 0);
        }

        @Override
        public String toString() {
            return "semantic(" + recentMessages + ")";
        }
    }

    int DEFAULT_SEMANTIC_RECENT = 6;

    ContextStrategy FULL = new Full();
    ContextStrategy TOKEN_BUDGET = new TokenBudget();
    ContextStrategy ROLLING_SUMMARY = new RollingSummary();

    Pattern SLIDING = Pattern.compile("sliding_window(?:\\((\\d{1,6})\\))?");
    Pattern SEMANTIC = Pattern.compile("semantic(?:\\((\\d{1,6})\\))?");

    private static void requireCount(String form, int count, int min) {
        if (count < min || count > MAX_WINDOW_MESSAGES) {
            throw new InvalidRequestException(form + " needs " + min + " <= " + form.charAt(form.length() - 2) + " <= "
                    + MAX_WINDOW_MESSAGES + ", was " + count, "X-Context-Strategy", "invalid_context_strategy");
        }
    }

    /** Reads {@code full}, {@code token_budget}, {@code sliding_window} or {@code sliding_window(n)}. */
    static ContextStrategy parse(String text) {
        String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (s.equals("full")) return FULL;
        if (s.equals("token_budget")) return TOKEN_BUDGET;
        if (s.equals("rolling_summary")) return ROLLING_SUMMARY;
        Matcher m = SLIDING.matcher(s);
        if (m.matches()) return new SlidingWindow(m.group(1) == null ? DEFAULT_WINDOW_MESSAGES : Integer.parseInt(m.group(1)));
        Matcher semantic = SEMANTIC.matcher(s);
        if (semantic.matches()) return new Semantic(semantic.group(1) == null ? DEFAULT_SEMANTIC_RECENT : Integer.parseInt(semantic.group(1)));
        throw new InvalidRequestException("Unknown context strategy '" + (s.length() > 40 ? s.substring(0, 40) + "..." : s)
                + "'; use full, sliding_window(n), token_budget, rolling_summary or semantic(k)", "X-Context-Strategy", "invalid_context_strategy");
    }
}
