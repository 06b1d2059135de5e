package io.sluice.app.logging;

/**
 * How the gateway logs: {@code format} {@code text} (one readable line per record) or {@code json} (one JSON object per
 * line, for a log pipeline); {@code calls}: one record per call as it ends, with its request id, trace id, owner, model,
 * status and latency. Immutable.
 */
public record LogSettings(Format format, boolean calls) {
    public enum Format { TEXT, JSON }

    public static final LogSettings DEFAULTS = new LogSettings(Format.TEXT, false);

    public LogSettings {
        format = format == null ? Format.TEXT : format;
    }

    /** The format named ({@code text} or {@code json}, in any case); else an IllegalArgumentException saying what is allowed. */
    public static Format format(String value) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "text" -> Format.TEXT;
            case "json" -> Format.JSON;
            default -> throw new IllegalArgumentException("must be text or json, was '" + value + "'");
        };
    }
}
