package io.sluice.domain;

import java.util.UUID;
import java.util.regex.Pattern;

/** The id of a stored conversation: {@code conv_} followed by 32 lowercase hex digits, like OpenAI's. */
public record ConversationId(String value) {
    private static final Pattern FORMAT = Pattern.compile("conv_[0-9a-f]{32}");

    public ConversationId {
        Require.nonNull(value, "conversationId");
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("'conversationId' must look like conv_<32 hex digits>, was '" + abbreviate(value) + "'");
        }
    }

    public static ConversationId random() {
        return new ConversationId("conv_" + UUID.randomUUID().toString().replace("-", ""));
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }

    @Override
    public String toString() {
        return value;
    }
}
