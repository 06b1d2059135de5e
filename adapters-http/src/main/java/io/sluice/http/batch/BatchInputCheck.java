package io.sluice.http.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.domain.error.InvalidRequestException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Checks a Batch API input file as OpenAI's Batch API defines it: JSONL, one request per line, each an object with a
 * unique {@code custom_id}, {@code "method": "POST"}, a {@code url} this gateway runs in batches and a {@code body}
 * naming a {@code model}. A file that is not one is refused when it is uploaded, naming its first bad line, before
 * anything is stored or sent upstream.
 */
public final class BatchInputCheck {
    /** OpenAI's limit of requests in one batch. */
    public static final int MAX_REQUESTS = 50_000;
    /** The endpoints a batch's requests may go to on this gateway. */
    public static final Set<String> URLS = Set.of("/v1/chat/completions");
    private static final int MAX_CUSTOM_ID = 512;

    private final ObjectMapper json;

    public BatchInputCheck(ObjectMapper json) {
        this.json = json;
    }

    /** How many requests the file holds; fails with a 400 naming the first bad line. */
    public int check(byte[] content) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            throw refused("The file is not UTF-8 text");
        }
        Set<String> ids = new HashSet<>();
        int line = 0;
        int requests = 0;
        for (String row : text.split("\n", -1)) {
            line++;
            if (row.isBlank()) continue;
            if (++requests > MAX_REQUESTS) throw refused("A batch holds at most " + MAX_REQUESTS + " requests");
            JsonNode request;
            try {
                request = json.readTree(row);
            } catch (java.io.IOException e) {
                throw refused("Line " + line + " is not JSON");
            }
            if (request == null || !request.isObject()) throw refused("Line " + line + " is not a JSON object");
            JsonNode id = request.path("custom_id");
            if (!id.isTextual() || id.textValue().isBlank() || id.textValue().length() > MAX_CUSTOM_ID) {
                throw refused("Line " + line + ": 'custom_id' must be a string of 1 to " + MAX_CUSTOM_ID + " characters");
            }
            if (!ids.add(id.textValue())) throw refused("Line " + line + ": 'custom_id' repeats an earlier line's; each must be unique");
            if (!"POST".equals(request.path("method").asText(null))) throw refused("Line " + line + ": 'method' must be \"POST\"");
            String url = request.path("url").asText(null);
            if (url == null || !URLS.contains(url)) {
                throw refused("Line " + line + ": 'url' must be one of " + URLS + " on this gateway");
            }
            JsonNode body = request.path("body");
            if (!body.isObject() || !body.path("model").isTextual() || body.path("model").textValue().isBlank()) {
                throw refused("Line " + line + ": 'body' must be an object naming a 'model'");
            }
            if (body.path("stream").asBoolean(false)) throw refused("Line " + line + ": a batch's requests cannot stream");
        }
        if (requests == 0) throw refused("The file holds no request");
        return requests;
    }

    private static InvalidRequestException refused(String why) {
        return new InvalidRequestException(why, "file", "invalid_batch_input");
    }
}
