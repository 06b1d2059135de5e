package io.sluice.http.responses;

import io.sluice.domain.ConversationId;
import io.sluice.domain.error.InvalidRequestException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Responses API's ids, made of what names a response in Sluice: a stored response is {@code resp_}, its
 * conversation's 32 hex digits and its request's 32 ({@code x-request-id}, kept on the stored answer); one that was not
 * stored ({@code store: false}) has its request's alone. No table maps them: the id is the address.
 */
public final class ResponseIds {
    private static final Pattern STORED = Pattern.compile("resp_([0-9a-f]{32})([0-9a-f]{32})");
    private static final Pattern STATELESS = Pattern.compile("resp_([0-9a-f]{32})");
    private static final Pattern REQUEST_ID = Pattern.compile("req_[0-9a-f]{32}");

    private ResponseIds() {}

    public static String of(String requestId, Optional<ConversationId> conversation) {
        String request = hex(requestId);
        return "resp_" + conversation.map(c -> c.value().substring("conv_".length())).orElse("") + request;
    }

    /** The stored response's conversation; refused when {@code id} names no stored response. */
    public static ConversationId conversation(String id, String param) {
        var m = STORED.matcher(id == null ? "" : id);
        if (!m.matches()) {
            String why = STATELESS.matcher(id == null ? "" : id).matches() ? "was not stored ('store': false)" : "is not a response id";
            throw new InvalidRequestException("'" + param + "' " + why, param, "invalid_response_id");
        }
        return new ConversationId("conv_" + m.group(1));
    }

    /** The request id of a stored response, as its answer's metadata keeps it. */
    public static String requestId(String id) {
        var m = STORED.matcher(id);
        if (!m.matches()) throw new IllegalArgumentException("not a stored response id");
        return "req_" + m.group(2);
    }

    /** The gateway's request ids are {@code req_} and 32 hex digits ({@code ChatCall.newRequestId}, {@code RequestIds}). */
    private static String hex(String requestId) {
        if (!REQUEST_ID.matcher(requestId).matches()) throw new IllegalArgumentException("not a gateway request id");
        return requestId.substring("req_".length());
    }
}
