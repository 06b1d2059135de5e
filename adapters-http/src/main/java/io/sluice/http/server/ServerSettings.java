package io.sluice.http.server;

/**
 * Where and how the inbound server listens. {@code maxBodyBytes} bounds a request body; larger ones get 413.
 */
public record ServerSettings(String host, int port, long maxBodyBytes) {
    public static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;

    public ServerSettings {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("'host' must not be blank");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("'port' must be in 0..65535, was " + port);
        if (maxBodyBytes < 1024) throw new IllegalArgumentException("'maxBodyBytes' must be at least 1024, was " + maxBodyBytes);
    }
}
