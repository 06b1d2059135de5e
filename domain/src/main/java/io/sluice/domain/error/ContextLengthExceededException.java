package io.sluice.domain.error;

/** The messages that must be sent (system prompt, new messages, room for the reply) do not fit the model's window. */
public class ContextLengthExceededException extends NonRetriableException {
    public ContextLengthExceededException(String message) {
        super(message, null);
    }

    @Override
    public String code() {
        return "context_length_exceeded";
    }
}
