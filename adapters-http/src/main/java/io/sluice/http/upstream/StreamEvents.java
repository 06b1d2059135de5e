package io.sluice.http.upstream;

import io.sluice.domain.ChatChunk;
import java.util.List;

/**
 * How one upstream API's server-sent events become chunks: one instance per stream, as some APIs send what later
 * chunks need (ids, the model) only in their first event. Called from one thread at a time.
 */
public interface StreamEvents {
    /**
     * The chunks in one event's {@code data}, possibly none. Throws a
     * {@link io.sluice.domain.error.SluiceException} for an error the upstream reported in the stream, any other
     * exception for an event it could not read.
     */
    List<ChatChunk> read(String data) throws Exception;

    /** Whether the stream has seen its proper end; a stream that closes before is reported as cut. */
    boolean finished();
}
