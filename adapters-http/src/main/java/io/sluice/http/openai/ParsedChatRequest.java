package io.sluice.http.openai;

import io.sluice.domain.ChatRequest;

/** A validated inbound chat request and the presentation flags the domain does not carry. */
public record ParsedChatRequest(ChatRequest request, boolean stream, boolean includeUsage) {}
