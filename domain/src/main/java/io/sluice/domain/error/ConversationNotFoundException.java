package io.sluice.domain.error;

/** The conversation does not exist, is deleted, or belongs to another owner: the three are indistinguishable on purpose. */
public class ConversationNotFoundException extends NonRetriableException {
    public ConversationNotFoundException(String conversationId) {
        super("No conversation found with id '" + conversationId + "'", null);
    }

    @Override
    public String code() {
        return "conversation_not_found";
    }
}
