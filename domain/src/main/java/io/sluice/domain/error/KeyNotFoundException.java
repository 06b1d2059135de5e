package io.sluice.domain.error;

/** The admin API named an API key the gateway does not have. */
public class KeyNotFoundException extends NonRetriableException {
    public KeyNotFoundException(String id) {
        super("No API key with id '" + (id.length() > 64 ? id.substring(0, 64) : id) + "'", null);
    }

    @Override
    public String code() {
        return "key_not_found";
    }
}
