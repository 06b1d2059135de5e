package io.sluice.domain.error;

/** No stored response has this id for this owner: not stored, erased, or another owner's, which look alike on purpose. */
public class ResponseNotFoundException extends NonRetriableException {
    public ResponseNotFoundException(String responseId) {
        super("No response found with id '" + responseId + "'", null);
    }

    @Override
    public String code() {
        return "response_not_found";
    }
}
