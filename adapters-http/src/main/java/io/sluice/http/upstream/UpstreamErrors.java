package io.sluice.http.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.domain.error.Failures;
import io.sluice.domain.error.SluiceException;
import io.sluice.domain.error.UpstreamAuthenticationException;
import io.sluice.domain.error.UpstreamRateLimitedException;
import io.sluice.domain.error.UpstreamRejectedException;
import io.sluice.domain.error.UpstreamTimeoutException;
import io.sluice.domain.error.UpstreamUnavailableException;
import io.vertx.core.MultiMap;
import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place where an OpenAI-compatible upstream's failures become the gateway's exceptions: HTTP statuses,
 * Retry-After in its three spellings, timeouts, and connections that were refused, reset or closed early.
 */
public final class UpstreamErrors {
    /** A Retry-After longer than this is not believed: it is most likely a misconfigured upstream. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);
    private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");
    private static final int MAX_MESSAGE = 500;

    private UpstreamErrors() {}

    /** The upstream's id of a request: OpenAI's {@code x-request-id}, Anthropic's {@code request-id}; null when absent or odd. */
    public static String requestId(MultiMap headers) {
        String id = headers.get("x-request-id");
        if (id == null) id = headers.get("request-id");
        return id != null && id.length() <= 128 && id.chars().allMatch(c -> c > 0x20 && c < 0x7f) ? id : null;
    }

    public static SluiceException fromStatus(int status, MultiMap headers, byte[] body, ObjectMapper json) {
        SluiceException error = fromStatusOnly(status, headers, body, json);
        String upstreamId = requestId(headers);
        return upstreamId == null ? error : error.withUpstreamRequestId(upstreamId);
    }

    private static SluiceException fromStatusOnly(int status, MultiMap headers, byte[] body, ObjectMapper json) {
        Duration retryAfter = retryAfter(headers);
        return switch (status) {
            case 400, 409, 413, 422 -> rejected(status, body, json, null);
            // a 404 is a model the upstream does not have, or a wrong base URL: only the first is the client's model_not_found
            case 404 -> rejected(status, body, json, namesModel(body, json) ? "model_not_found" : null);
            // "Project ... does not have access to model ...": the key is fine, this model is not for it
            case 403 -> namesModel(body, json) ? rejected(403, body, json, "model_not_allowed") : new UpstreamAuthenticationException(status);
            case 401 -> new UpstreamAuthenticationException(status);
            case 408 -> new UpstreamTimeoutException("The upstream provider timed out (HTTP 408)", null);
            case 429 -> new UpstreamRateLimitedException("The upstream provider is rate limiting requests"
                    + (retryAfter == null ? "" : "; retry after " + Math.max(1, retryAfter.toSeconds()) + "s"), retryAfter);
            default -> new UpstreamUnavailableException(status, "The upstream provider failed (HTTP " + status + ")", retryAfter, null);
        };
    }

    public static SluiceException fromThrowable(Throwable failure) {
        Throwable t = Failures.cause(failure);
        if (t instanceof SluiceException s) return s;
        if (isTimeout(t)) return new UpstreamTimeoutException("The upstream provider did not answer in time", t);
        // The cause stays attached for our own diagnosis; the message, which a client may see, names no internals.
        return new UpstreamUnavailableException(0, "The connection to the upstream provider was refused, reset or closed", null, t);
    }

    public static UpstreamUnavailableException streamCut() {
        return new UpstreamUnavailableException(0, "The upstream provider ended the stream before it was complete", null, null);
    }

    private static boolean isTimeout(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof TimeoutException || c.getClass().getSimpleName().contains("Timeout")) return true;
            if (c instanceof IOException || c.getMessage() == null) continue;
            if (c.getMessage().toLowerCase(Locale.ROOT).contains("timeout")) return true;
        }
        return false;
    }

    /** Retry-After in seconds or as an HTTP date, retry-after-ms, or OpenAI's x-ratelimit-reset-requests ("6m0s"). */
    public static Duration retryAfter(MultiMap headers) {
        Duration d = null;
        String ms = headers.get("retry-after-ms");
        String seconds = headers.get("retry-after");
        String reset = headers.get("x-ratelimit-reset-requests");
        try {
            if (ms != null) d = Duration.ofMillis((long) Double.parseDouble(ms.trim()));
            else if (seconds != null && seconds.trim().matches("\\d+(\\.\\d+)?")) d = Duration.ofMillis((long) (Double.parseDouble(seconds.trim()) * 1000));
            else if (seconds != null) d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(seconds.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
            else if (reset != null) d = goDuration(reset.trim());
        } catch (RuntimeException malformed) {
            return null;
        }
        if (d == null) return null;
        if (d.isNegative()) return Duration.ZERO;
        return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
    }

    static Duration goDuration(String text) {
        Matcher m = GO_DURATION.matcher(text);
        long millis = 0;
        boolean any = false;
        while (m.find()) {
            any = true;
            double v = Double.parseDouble(m.group(1));
            millis += (long) switch (m.group(2)) {
                case "ms" -> v;
                case "s" -> v * 1000;
                case "m" -> v * 60_000;
                default -> v * 3_600_000;
            };
        }
        return any ? Duration.ofMillis(millis) : null;
    }

    private static final Pattern MODEL_WORD = Pattern.compile("(?i)\\bmodels?\\b");

    /** Whether an upstream's error is about a model: OpenAI's code {@code model_not_found}, or a message that says "model". */
    private static boolean namesModel(byte[] body, ObjectMapper json) {
        try {
            JsonNode error = json.readTree(body).path("error");
            return "model_not_found".equals(error.path("code").asText(null)) || MODEL_WORD.matcher(error.path("message").asText("")).find();
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }

    /** What the upstream's error names as its code and param, if they look like identifiers; never its text otherwise. */
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_.\\[\\]-]{1,128}");

    private static UpstreamRejectedException rejected(int status, byte[] body, ObjectMapper json, String fallbackCode) {
        JsonNode error;
        try {
            error = json.readTree(body).path("error");
        } catch (IOException | RuntimeException unreadable) {
            error = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        String code = identifier(error.path("code"));
        return new UpstreamRejectedException(status, upstreamMessage(body, json), code != null ? code : fallbackCode, identifier(error.path("param")));
    }

    private static String identifier(JsonNode node) {
        return node.isTextual() && IDENTIFIER.matcher(node.textValue()).matches() ? node.textValue() : null;
    }

    private static String upstreamMessage(byte[] body, ObjectMapper json) {
        try {
            JsonNode message = json.readTree(body).path("error").path("message");
            if (message.isTextual() && !message.textValue().isBlank()) {
                String text = message.textValue();
                return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "...";
            }
        } catch (IOException | RuntimeException unreadable) {
            // fall through to the generic message
        }
        return "The upstream provider rejected the request";
    }
}
