package io.sluice.http.server;

import java.time.Duration;
import java.util.Optional;

/**
 * Where the server listens, the largest request body it takes, and the SHA-256 of the admin key: when one is set,
 * every {@code /v1} call needs a gateway API key and every {@code /admin} call the admin key; when none is, the
 * gateway is open (one tenant, {@code default}) and should listen on loopback only. {@code keyCacheTtl}: how long an
 * authenticated gateway key is remembered (zero: read on every request). {@code maxEventLoopLag}: how far behind an
 * event loop may fall before new chat calls on it are refused with a 503 (zero: never refused). {@code idleTimeout}:
 * how long a connection may carry no byte either way before it is closed (longer than any call stays silent).
 * {@code requestReadTimeout}: how long a client has to send a request's body after its head; past it the request gets
 * a 408 and the connection is closed.
 */
public record ServerSettings(String host, int port, long maxBodyBytes, Optional<String> adminKeyHash, Duration keyCacheTtl,
                             Duration maxEventLoopLag, Duration idleTimeout, Duration requestReadTimeout) {
    public static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;
    public static final Duration DEFAULT_KEY_CACHE_TTL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_EVENT_LOOP_LAG = Duration.ofMillis(500);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(2);
    public static final Duration DEFAULT_REQUEST_READ_TIMEOUT = Duration.ofSeconds(30);

    public ServerSettings {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("'host' must not be blank");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("'port' must be in 0..65535, was " + port);
        if (maxBodyBytes < 1024) throw new IllegalArgumentException("'maxBodyBytes' must be at least 1024, was " + maxBodyBytes);
        adminKeyHash = adminKeyHash == null ? Optional.empty() : adminKeyHash;
        keyCacheTtl = keyCacheTtl == null ? DEFAULT_KEY_CACHE_TTL : keyCacheTtl;
        if (keyCacheTtl.isNegative()) throw new IllegalArgumentException("'keyCacheTtl' must not be negative, was " + keyCacheTtl);
        maxEventLoopLag = maxEventLoopLag == null ? DEFAULT_MAX_EVENT_LOOP_LAG : maxEventLoopLag;
        if (maxEventLoopLag.isNegative()) throw new IllegalArgumentException("'maxEventLoopLag' must not be negative, was " + maxEventLoopLag);
        idleTimeout = idleTimeout == null ? DEFAULT_IDLE_TIMEOUT : idleTimeout;
        if (idleTimeout.toSeconds() < 1) throw new IllegalArgumentException("'idleTimeout' must be at least 1s, was " + idleTimeout);
        requestReadTimeout = requestReadTimeout == null ? DEFAULT_REQUEST_READ_TIMEOUT : requestReadTimeout;
        if (requestReadTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("'requestReadTimeout' must be at least 1ms, was " + requestReadTimeout);
        }
    }

    public ServerSettings(String host, int port, long maxBodyBytes, Optional<String> adminKeyHash, Duration keyCacheTtl,
                          Duration maxEventLoopLag) {
        this(host, port, maxBodyBytes, adminKeyHash, keyCacheTtl, maxEventLoopLag, DEFAULT_IDLE_TIMEOUT, DEFAULT_REQUEST_READ_TIMEOUT);
    }

    public ServerSettings(String host, int port, long maxBodyBytes, Optional<String> adminKeyHash) {
        this(host, port, maxBodyBytes, adminKeyHash, DEFAULT_KEY_CACHE_TTL, DEFAULT_MAX_EVENT_LOOP_LAG);
    }

    /** These settings with other connection timeouts. */
    public ServerSettings withTimeouts(Duration idle, Duration requestRead) {
        return new ServerSettings(host, port, maxBodyBytes, adminKeyHash, keyCacheTtl, maxEventLoopLag, idle, requestRead);
    }

    /** An open gateway: no API keys asked for. */
    public ServerSettings(String host, int port, long maxBodyBytes) {
        this(host, port, maxBodyBytes, Optional.empty());
    }

    public boolean requiresKeys() {
        return adminKeyHash.isPresent();
    }
}
