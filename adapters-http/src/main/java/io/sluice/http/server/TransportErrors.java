package io.sluice.http.server;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.sluice.domain.StoredText;
import io.sluice.http.openai.OpenAiJson;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * Requests that fail below the API: a head Netty could not decode (a request line or headers too long, a bad
 * Content-Length, not HTTP at all), a body that breaks off or is malformed mid-read (bad chunking), and a path whose
 * %-encoding is invalid or decodes to a control character. Each gets a 4xx in OpenAI's error shape, and the connection
 * is closed after it, since what follows on it cannot be trusted to be framed.
 */
final class TransportErrors {
    private static final System.Logger LOG = System.getLogger(TransportErrors.class.getName());

    private final OpenAiJson json;

    TransportErrors(OpenAiJson json) {
        this.json = json;
    }

    /** Netty could not decode the request's head: Vert.x hands it here instead of to the router. */
    void invalidHead(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        ErrorResponses.ApiError error = switch (cause) {
            case TooLongHttpLineException e -> error(414, "uri_too_long", "The request URL is too long.");
            case TooLongHttpHeaderException e -> error(431, "headers_too_large", "The request headers are too large.");
            case null, default -> error(400, "invalid_http", "The request is not valid HTTP/1.1.");
        };
        sendAndClose(request, error);
    }

    /** The path's %-encoding is invalid, or it decodes to something no id can hold: refused before routing. */
    void checkPath(RoutingContext ctx) {
        String problem = pathProblem(ctx.request().path());
        if (problem == null) {
            ctx.next();
        } else {
            ErrorResponses.send(ctx.response(), json, error(400, "invalid_url", problem));
        }
    }

    /**
     * A route failed with a cause that is not the API's: the client went away (nothing to answer, nothing to log), or
     * the body broke off or was malformed before it was all read (the client's fault, a 400). Returns whether it was.
     */
    boolean handled(RoutingContext ctx, Throwable failure) {
        if (failure instanceof HttpClosedException || ctx.request().connection() == null || ctx.response().closed()) {
            LOG.log(System.Logger.Level.DEBUG, "client went away during " + ctx.request().method() + " " + ctx.request().path());
            return true;
        }
        if (ctx.statusCode() == 413) return false; // the body is over the limit: the API's own 413 says so
        if (!ctx.request().isEnded() && !(failure instanceof io.sluice.domain.error.SluiceException)) {
            sendAndClose(ctx.request(), error(400, "invalid_body", "The request body could not be read: it is malformed or was cut off."));
            return true;
        }
        return false;
    }

    /** A description of what is wrong with a raw path, or null when nothing is. */
    static String pathProblem(String rawPath) {
        if (rawPath == null) return "The request has no path.";
        if (isPlain(rawPath)) return null; // every path a client of ours sends: nothing to decode, nothing allocated
        return decodedProblem(rawPath);
    }

    /** No %-escape, only printable ASCII. */
    private static boolean isPlain(String rawPath) {
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c == '%' || c < 0x21 || c > 0x7e) return false;
        }
        return true;
    }

    private static String decodedProblem(String rawPath) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(rawPath.length());
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c == '%') {
                int hi = i + 2 < rawPath.length() ? Character.digit(rawPath.charAt(i + 1), 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(rawPath.charAt(i + 2), 16);
                if (lo < 0) return "The request path has an invalid %-encoding at index " + i + ".";
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                bytes.write(c > 0x7f ? '?' : c);
            }
        }
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return "The request path does not decode to UTF-8.";
        }
        if (StoredText.firstUnstorable(decoded) >= 0 || decoded.chars().anyMatch(Character::isISOControl)) {
            return "The request path contains a control character.";
        }
        return null;
    }

    private void sendAndClose(HttpServerRequest request, ErrorResponses.ApiError error) {
        var response = request.response();
        if (response.ended() || response.closed()) return;
        if (request.version() != HttpVersion.HTTP_2) response.putHeader("connection", "close"); // HTTP/2 has no such header
        ErrorResponses.send(response, json, error);
        if (request.connection() != null) request.connection().close();
    }

    private static ErrorResponses.ApiError error(int status, String code, String message) {
        return new ErrorResponses.ApiError(status, "invalid_request_error", code, null, message, null);
    }
}
