package io.sluice.app.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.Map;
import java.util.Optional;

/** {@code sluice.routes.NAME}: a name clients use as their model, served by a degradation chain or a canary split. */
public interface RouteConfig {
    /** The SLA tier of the route's calls that send no {@code X-SLA-Tier}; by default, the tier of their complexity. */
    Optional<String> tier();

    /** The default context strategy of stored conversations reached by this route. */
    @WithName("context-strategy")
    Optional<String> contextStrategy();

    /** One degradation chain, from the most to the least capable model: a route without a canary split. */
    Optional<java.util.List<Link>> chain();

    /**
     * The route's fallback reply: a text ({@code fallback-reply: "..."}), or texts by language
     * ({@code fallback-reply: {en: "...", vi: "..."}}); none by default.
     */
    @WithName("fallback-reply")
    Map<String, String> fallbackReplies();

    /** {@code fallback-reply} given as one text, for every language. */
    @WithName("fallback-reply")
    Optional<String> fallbackReply();

    /** The failures the fallback reply covers: {@code all_failed}, {@code deadline}, {@code budget}, {@code rate_limited}; all by default. */
    @WithName("fallback-reply-on")
    Optional<java.util.List<String>> fallbackReplyOn();

    /** A canary split: deployments by name, each with its weight and chain. */
    Map<String, Deployment> deployments();

    interface Deployment {
        int weight();

        java.util.List<Link> chain();
    }

    interface Link {
        String model();

        /** {@code complex}, {@code moderate} or {@code simple}: the most demanding calls this model should start. */
        @WithDefault("complex")
        String capability();
    }
}
