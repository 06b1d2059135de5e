package io.sluice.http.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.UpstreamWire;

/** An answer or chunk as an OpenAI-compatible upstream sent it, in {@code api}. Never mutated once read. */
record OpenAiWire(ObjectNode node, String api) implements UpstreamWire {
    static final String CHAT = "openai.chat";
    static final String EMBEDDINGS = "openai.embeddings";
}
