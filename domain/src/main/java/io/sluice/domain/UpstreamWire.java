package io.sluice.domain;

/**
 * An upstream's own encoding of one answer or stream chunk, kept opaque beside the domain's reading of it. A client
 * that speaks the same API as the upstream is answered from it, so it gets every field the gateway does not
 * interpret (log probabilities, refusals, annotations, further choices, usage details, fields added after this
 * gateway was built) exactly as the upstream sent them. Implementations are immutable.
 */
public interface UpstreamWire {
    /** The API it is encoded in, as the adapters name it (e.g. {@code openai.chat}); a writer of another API ignores it. */
    String api();
}
