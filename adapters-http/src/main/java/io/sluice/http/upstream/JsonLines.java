package io.sluice.http.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** JSONL an upstream sent (a batch's results): one JSON value a line, blank lines skipped. */
public final class JsonLines {
    private JsonLines() {}

    /** The lines' values, in order; a line that is not JSON is left out (its request is then reported as not run). */
    public static List<JsonNode> read(ObjectMapper json, String text) {
        List<JsonNode> lines = new ArrayList<>();
        for (String row : text.split("\n")) {
            if (row.isBlank()) continue;
            try {
                lines.add(json.readTree(row));
            } catch (IOException e) {
                // garbled by the upstream: left out
            }
        }
        return lines;
    }
}
