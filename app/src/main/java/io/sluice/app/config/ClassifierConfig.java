package io.sluice.app.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.Map;
import java.util.Optional;

/** {@code sluice.classifier}: how a route's calls are judged simple, moderate or complex. */
public interface ClassifierConfig {
    @WithName("short-message-chars")
    @WithDefault("80")
    int shortMessageChars();

    @WithName("long-message-chars")
    @WithDefault("1500")
    int longMessageChars();

    /** Whole words or phrases that make a call complex; English and Vietnamese by default. */
    @WithName("complex-keywords")
    Optional<java.util.List<String>> complexKeywords();

    /** Whole words or phrases that make a call simple. */
    @WithName("simple-keywords")
    Optional<java.util.List<String>> simpleKeywords();

    /** The SLA tier by complexity, for a route without a tier of its own. */
    @WithName("tiers")
    Map<String, String> tiers();
}
