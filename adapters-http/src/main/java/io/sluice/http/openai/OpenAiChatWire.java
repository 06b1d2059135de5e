package io.sluice.http.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.UpstreamWire;

/** A chat completion or chunk as an OpenAI-compatible upstream sent it. Never mutated once read. */
record OpenAiChatWire(ObjectNode node) implements UpstreamWire {
    static final String API = "openai.chat";

    @Override
    public String api() {
        return API;
    }
}
