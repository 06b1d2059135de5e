package io.sluice.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.ChatResponse;
import io.sluice.domain.batch.BatchLine;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.http.batch.BatchInputCheck;
import io.sluice.http.openai.ChatRequestReader;
import io.sluice.http.openai.OpenAiJson;
import io.sluice.ports.out.BatchCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI's Batch API files: an input file's lines ({@code custom_id}, {@code method}, {@code url}, {@code body}) read as
 * chat requests, checked as the chat endpoint checks them; and the output and error files' lines
 * ({@code {"id", "custom_id", "response": {"status_code", "request_id", "body"}, "error"}}). Thread-safe.
 */
public final class BatchFileCodec implements BatchCodec {
    private final ObjectMapper json;
    private final BatchInputCheck check;
    private final ChatRequestReader requests;
    private final OpenAiJson answers;

    public BatchFileCodec(ObjectMapper json) {
        this.json = json;
        this.check = new BatchInputCheck(json);
        this.requests = new ChatRequestReader(json);
        this.answers = new OpenAiJson(json);
    }

    @Override
    public List<BatchLine> read(byte[] input) {
        check.check(input);
        List<BatchLine> lines = new ArrayList<>();
        int number = 0;
        for (String row : new String(input, StandardCharsets.UTF_8).split("\n", -1)) {
            number++;
            if (row.isBlank()) continue;
            try {
                JsonNode request = json.readTree(row);
                byte[] body = json.writeValueAsBytes(request.path("body"));
                lines.add(new BatchLine(lines.size(), request.path("custom_id").textValue(), requests.read(body).request()));
            } catch (InvalidRequestException e) {
                throw new InvalidRequestException("Line " + number + ": " + e.getMessage(), "input_file_id", "invalid_batch_input");
            } catch (IOException e) {
                throw new InvalidRequestException("Line " + number + " is not JSON", "input_file_id", "invalid_batch_input");
            }
        }
        return lines;
    }

    @Override
    public String okLine(String customId, String requestId, ChatResponse response) {
        ObjectNode body;
        try {
            body = (ObjectNode) json.readTree(answers.writeResponse(response));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ObjectNode line = line(customId, requestId);
        line.putObject("response").put("status_code", 200).put("request_id", requestId).set("body", body);
        line.putNull("error");
        return line.toString();
    }

    @Override
    public String errorLine(String customId, String requestId, int status, String code, String message) {
        ObjectNode line = line(customId, requestId);
        if (status == 0) { // never run: the batch's own error, as OpenAI writes an expired or cancelled request
            line.putNull("response");
            line.putObject("error").put("code", code).put("message", message);
            return line.toString();
        }
        ObjectNode error = json.createObjectNode();
        error.putObject("error").put("message", message).put("type", status >= 500 ? "server_error" : "invalid_request_error").putNull("param")
                .put("code", code);
        line.putObject("response").put("status_code", status).put("request_id", requestId).set("body", error);
        line.putNull("error");
        return line.toString();
    }

    @Override
    public String errorLine(String customId, String requestId, Throwable failure) {
        ErrorResponses.ApiError e = ErrorResponses.toApiError(failure);
        ObjectNode line = line(customId, requestId);
        ObjectNode body = json.createObjectNode();
        body.putObject("error").put("message", e.message()).put("type", e.type()).put("param", e.param()).put("code", e.code());
        line.putObject("response").put("status_code", e.status()).put("request_id", requestId).set("body", body);
        line.putNull("error");
        return line.toString();
    }

    private ObjectNode line(String customId, String requestId) {
        ObjectNode line = json.createObjectNode();
        line.put("id", "batch_req_" + (requestId == null ? java.util.UUID.randomUUID().toString().replace("-", "") : requestId.replace("-", "_")));
        line.put("custom_id", customId);
        return line;
    }
}
