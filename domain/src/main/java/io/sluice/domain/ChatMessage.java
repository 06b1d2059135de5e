package io.sluice.domain;

import java.util.List;

/**
 * One message of a chat: a system prompt, a user turn, an assistant reply (text and/or tool calls) or a tool result.
 * Immutable. {@code content} is the message's text; it may be null or empty only for an assistant message, or for a
 * message whose {@code parts} say something else (an image); {@code name} and {@code toolCallId} may be null.
 * {@code parts}: the content in order when it holds more than text (images, audio, files), its text parts joined being
 * {@code content}; empty for a message of text alone.
 */
public record ChatMessage(Role role, String content, String name, List<ToolCall> toolCalls, String toolCallId, List<ContentPart> parts) {
    public ChatMessage(Role role, String content, String name, List<ToolCall> toolCalls, String toolCallId) {
        this(role, content, name, toolCalls, toolCallId, List.of());
    }

    /**
     * Characters of text it holds, its media's {@code data:} URLs and tool calls included: what it weighs in a cache
     * sized in bytes. A text part is counted beside {@code content}, which holds it again.
     */
    public long chars() {
        long chars = (long) length(content) + length(name) + length(toolCallId);
        for (ToolCall call : toolCalls) chars += (long) length(call.id()) + length(call.name()) + length(call.argumentsJson());
        for (ContentPart part : parts) {
            chars += switch (part) {
                case ContentPart.Text t -> t.text().length();
                case ContentPart.Image i -> (long) i.url().length() + length(i.detail());
                case ContentPart.Audio a -> (long) a.data().length() + a.format().length();
                case ContentPart.File f -> (long) length(f.fileId()) + length(f.fileData()) + length(f.filename());
            };
        }
        return chars;
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    /** Whether the content holds more than text. */
    public boolean hasMedia() {
        return !parts.isEmpty();
    }

    public ChatMessage {
        Require.nonNull(role, "role");
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        if (!toolCalls.isEmpty() && role != Role.ASSISTANT) {
            throw new IllegalArgumentException("'tool_calls' is only allowed on assistant messages");
        }
        if (role == Role.TOOL) Require.nonBlank(toolCallId, "tool_call_id");
        else if (toolCallId != null) throw new IllegalArgumentException("'tool_call_id' is only allowed on tool messages");
        parts = parts == null ? List.of() : List.copyOf(parts);
        // An assistant may answer with tool calls only, or (rarely) with nothing at all; everyone else must say something.
        if (role != Role.ASSISTANT && (content == null || content.isEmpty()) && parts.isEmpty()) {
            throw new IllegalArgumentException("'content' must not be empty for a " + role.wireName() + " message");
        }
    }

    public static ChatMessage system(String content) {
        return new ChatMessage(Role.SYSTEM, content, null, List.of(), null);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage(Role.USER, content, null, List.of(), null);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage(Role.ASSISTANT, content, null, List.of(), null);
    }

    public static ChatMessage assistant(String content, List<ToolCall> toolCalls) {
        return new ChatMessage(Role.ASSISTANT, content, null, toolCalls, null);
    }

    public static ChatMessage toolResult(String toolCallId, String content) {
        return new ChatMessage(Role.TOOL, content, null, List.of(), toolCallId);
    }
}
