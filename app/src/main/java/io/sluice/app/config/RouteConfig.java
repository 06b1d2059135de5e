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

    /** The time zone of the route's time windows, e.g. {@code Asia/Ho_Chi_Minh}; UTC by default. */
    @WithName("time-zone")
    Optional<String> timeZone();

    /** Times of day when the route is served otherwise (another chain, tier or weights); the first listed wins where they overlap. */
    Optional<java.util.List<Window>> windows();

    interface Window {
        /** A name for reports and logs; by default its hours, e.g. {@code 09:00-11:00}. */
        Optional<String> name();

        /** {@code mon}, {@code tue}, ...: the days it applies on; every day by default. */
        Optional<java.util.List<String>> days();

        /** {@code HH:mm}, included. */
        String from();

        /** {@code HH:mm}, excluded; {@code 24:00} for the end of the day; before {@code from} for a window past midnight. */
        String to();

        /** The chain every deployment of the route is served by in the window. */
        Optional<java.util.List<Link>> chain();

        /** The route's SLA tier in the window. */
        Optional<String> tier();

        /** Deployments' weights in the window, by name; the others keep theirs. */
        Map<String, Integer> weights();
    }

    /** A canary split: deployments by name, each with its weight and chain. */
    Map<String, Deployment> deployments();

    /** A canary among the deployments: rolled back by itself when it does worse than the stable one, and ramped on a schedule. */
    Optional<Canary> canary();

    interface Canary {
        /** The canary deployment. */
        String deployment();

        /** The deployment it is compared with, which takes the traffic back. */
        String stable();

        /** Roll back when the canary's recent error rate passes the stable one's by more than this (0.05: five points). */
        @WithName("max-error-rate-increase")
        @io.smallrye.config.WithDefault("0.05")
        double maxErrorRateIncrease();

        /** Roll back when the canary's recent p95 latency passes the stable one's times this. */
        @WithName("max-p95-ratio")
        @io.smallrye.config.WithDefault("1.5")
        double maxP95Ratio();

        /** Judge only on at least this many recent calls of the canary. */
        @WithName("min-calls")
        @io.smallrye.config.WithDefault("20")
        int minCalls();

        /** The canary's share of the traffic, in rising percentages, one step each {@code ramp-every}; none by default. */
        Optional<java.util.List<Integer>> ramp();

        @WithName("ramp-every")
        @io.smallrye.config.WithDefault("1h")
        java.time.Duration rampEvery();
    }

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
