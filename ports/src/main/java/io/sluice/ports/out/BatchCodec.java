package io.sluice.ports.out;

import io.sluice.domain.ChatResponse;
import io.sluice.domain.batch.BatchLine;
import java.util.List;

/**
 * The Batch API's file formats: an input file's requests, and the lines of the output and error files. Implemented by
 * the HTTP adapter, which speaks the API's JSON. Thread-safe.
 */
public interface BatchCodec {
    /** The requests of an input file, in order; throws {@link io.sluice.domain.error.InvalidRequestException} naming the first bad line. */
    List<BatchLine> read(byte[] input);

    /** An output file's line: the request {@code requestId} answered with {@code response}. */
    String okLine(String customId, String requestId, ChatResponse response);

    /** An error file's line: the request {@code requestId} failed with the HTTP {@code status}, {@code code} and {@code message}. */
    String errorLine(String customId, String requestId, int status, String code, String message);

    /** An error file's line: the request {@code requestId} failed with {@code error}, as the API would have answered it. */
    String errorLine(String customId, String requestId, Throwable error);
}
