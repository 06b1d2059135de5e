package io.sluice.engine.internal;

import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.ToolCall;
import io.sluice.domain.ToolCallDelta;
import io.sluice.domain.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Rebuilds the assistant message of a stream from its chunks. Not thread-safe: a stream signals serially. */
public final class StreamAccumulator {
    private final StringBuilder content = new StringBuilder();
    private final TreeMap<Integer, PartialCall> calls = new TreeMap<>();
    private String finishReason;
    private Usage usage;

    private static final class PartialCall {
        String id;
        String name;
        final StringBuilder arguments = new StringBuilder();
    }

    public void add(ChatChunk chunk) {
        if (chunk.contentDelta() != null) content.append(chunk.contentDelta());
        for (ToolCallDelta d : chunk.toolCallDeltas()) {
            PartialCall call = calls.computeIfAbsent(d.index(), i -> new PartialCall());
            if (d.id() != null) call.id = d.id();
            if (d.name() != null) call.name = d.name();
            if (d.argumentsDelta() != null) call.arguments.append(d.argumentsDelta());
        }
        if (chunk.finishReason() != null) finishReason = chunk.finishReason();
        if (chunk.usage() != null) usage = chunk.usage();
    }

    public boolean isEmpty() {
        return content.isEmpty() && calls.isEmpty();
    }

    public ChatMessage message() {
        List<ToolCall> toolCalls = new ArrayList<>();
        for (PartialCall c : calls.values()) {
            if (c.id != null && c.name != null) toolCalls.add(new ToolCall(c.id, c.name, c.arguments.toString()));
        }
        return ChatMessage.assistant(content.isEmpty() && !toolCalls.isEmpty() ? null : content.toString(), toolCalls);
    }

    public String finishReason() {
        return finishReason;
    }

    /** The upstream's usage, or null when it sent none. */
    public Usage usage() {
        return usage;
    }
}
