package io.sluice.domain.sla;

import io.sluice.domain.Require;
import io.sluice.domain.budget.BudgetExceededException;
import io.sluice.domain.error.NoUpstreamAvailableException;
import io.sluice.domain.error.UpstreamAuthenticationException;
import io.sluice.domain.error.UpstreamRateLimitedException;
import io.sluice.domain.error.UpstreamTimeoutException;
import io.sluice.domain.error.UpstreamUnavailableException;
import io.sluice.domain.limits.RateLimitExceededException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A route's polite answer for when it cannot answer: its text per language ({@link #DEFAULT} for any other) and the
 * failures it covers. The end customer in a chat window reads "we are busy, an agent will reply shortly" instead of
 * a raw 503, 504, 402 or 429. Immutable.
 */
public record FallbackReply(Map<String, String> texts, Set<Failure> on) {
    /** The language of the text given for any language the others do not name. */
    public static final String DEFAULT = "default";
    /** The longest text: a reply, not a document. */
    public static final int MAX_CHARS = 4_000;

    /** The failures a fallback reply may cover. */
    public enum Failure {
        /** Every model and endpoint of the route failed: 5xx, resets, no healthy endpoint, keys refused. */
        ALL_FAILED,
        /** The call's deadline passed. */
        DEADLINE,
        /** A budget cap refused the call. */
        BUDGET,
        /** A rate limit refused it: the gateway's own, or the upstreams' after every retry. */
        RATE_LIMITED;

        /** The configured name: {@code all_failed}, {@code deadline}, {@code budget}, {@code rate_limited}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Failure named(String label) {
            try {
                return valueOf(label.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + label + "' is not a failure a fallback reply covers; use all_failed, deadline, budget or rate_limited");
            }
        }

        /** Which failure {@code error} is, if a fallback reply may cover it; a caller's own mistake never is. */
        public static Optional<Failure> of(Throwable error) {
            return Optional.ofNullable(switch (error) {
                case UpstreamTimeoutException t -> DEADLINE;
                case BudgetExceededException b -> BUDGET;
                case RateLimitExceededException r -> RATE_LIMITED;
                case UpstreamRateLimitedException r -> RATE_LIMITED;
                case UpstreamUnavailableException u -> ALL_FAILED;
                case NoUpstreamAvailableException n -> ALL_FAILED;
                case UpstreamAuthenticationException a -> ALL_FAILED;
                default -> null;
            });
        }
    }

    public FallbackReply {
        Require.nonNull(texts, "texts");
        if (texts.isEmpty()) throw new IllegalArgumentException("a fallback reply needs a text");
        TreeMap<String, String> copy = new TreeMap<>();
        texts.forEach((language, text) -> {
            if (text == null || text.isBlank() || text.length() > MAX_CHARS) {
                throw new IllegalArgumentException("a fallback reply's text must be 1 to " + MAX_CHARS + " characters");
            }
            copy.put(language.strip().toLowerCase(Locale.ROOT), text);
        });
        texts = Collections.unmodifiableMap(copy);
        on = on == null || on.isEmpty() ? EnumSet.allOf(Failure.class) : Collections.unmodifiableSet(EnumSet.copyOf(on));
    }

    /** Whether it answers calls that failed with {@code error}. */
    public boolean covers(Throwable error) {
        return Failure.of(error).filter(on::contains).isPresent();
    }

    /**
     * The text for {@code locale} (a language tag such as {@code vi-VN}; null for none): its own, else its language's
     * ({@code vi}), else the default, else English, else the first configured.
     */
    public String text(String locale) {
        if (locale != null && !locale.isBlank()) {
            String tag = locale.strip().toLowerCase(Locale.ROOT).replace('_', '-');
            if (texts.containsKey(tag)) return texts.get(tag);
            int dash = tag.indexOf('-');
            if (dash > 0 && texts.containsKey(tag.substring(0, dash))) return texts.get(tag.substring(0, dash));
        }
        if (texts.containsKey(DEFAULT)) return texts.get(DEFAULT);
        return texts.getOrDefault("en", texts.values().iterator().next());
    }
}
