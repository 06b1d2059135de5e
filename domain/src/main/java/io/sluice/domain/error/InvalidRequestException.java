package io.sluice.domain.error;

/** The caller's request is malformed or breaks a rule. {@code param} names the offending field and may be null. */
public class InvalidRequestException extends NonRetriableException {
    private final String param;
    private final String code;

    public InvalidRequestException(String message, String param) {
        this(message, param, "invalid_request");
    }

    public InvalidRequestException(String message, String param, String code) {
        super(message, null);
        this.param = param;
        this.code = code;
    }

    public String param() {
        return param;
    }

    @Override
    public String code() {
        return code;
    }
}
