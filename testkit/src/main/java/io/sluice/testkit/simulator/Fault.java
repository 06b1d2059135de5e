package io.sluice.testkit.simulator;

import java.util.Locale;
import java.util.Optional;

/** A misbehaviour the simulator can inject. A request can ask for one with {@code [sim:NAME]} in its last message. */
public enum Fault {
    /** 429 with Retry-After and X-RateLimit-* headers. */
    RATE_LIMIT("429"),
    SERVER_ERROR("500"),
    BAD_GATEWAY("502"),
    UNAVAILABLE("503"),
    /** 400: the request is refused as invalid; never worth retrying. */
    BAD_REQUEST("400"),
    /** 401: the upstream key is refused. */
    UNAUTHORIZED("401"),
    /** 403 that names the model, as OpenAI's "does not have access to model": this model is not for the key. */
    MODEL_FORBIDDEN("403-model"),
    /** Never answers; the client must time out. */
    HANG("hang"),
    /** Closes the connection without an answer. */
    RESET("reset"),
    /** Streams half of the answer, then closes the connection without {@code [DONE]}. */
    STREAM_CUT("cut");

    private final String directive;

    Fault(String directive) {
        this.directive = directive;
    }

    public String directive() {
        return "[sim:" + directive + "]";
    }

    /** The fault a text asks for with a {@code [sim:...]} directive, if any. */
    public static Optional<Fault> requestedIn(String text) {
        if (text == null || !text.contains("[sim:")) return Optional.empty();
        String lower = text.toLowerCase(Locale.ROOT);
        for (Fault f : values()) if (lower.contains(f.directive())) return Optional.of(f);
        return Optional.empty();
    }
}
