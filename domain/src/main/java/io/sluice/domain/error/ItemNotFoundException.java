package io.sluice.domain.error;

/** No item with this id in the conversation (or the conversation is not the caller's). */
public class ItemNotFoundException extends NonRetriableException {
    public ItemNotFoundException(String itemId) {
        super("No item found with id '" + itemId + "'", null);
    }

    @Override
    public String code() {
        return "item_not_found";
    }
}
