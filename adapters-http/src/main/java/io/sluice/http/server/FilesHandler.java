package io.sluice.http.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.domain.files.StoredFile;
import io.sluice.http.batch.BatchInputCheck;
import io.sluice.http.openai.OpenAiJson;
import io.sluice.ports.in.Files;
import io.vertx.core.Context;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /v1/files}, as OpenAI's Files API: upload (multipart, with {@code file} and {@code purpose}), list, retrieve,
 * read the content of, and delete the caller's files. A {@code batch} file is checked as a Batch API input when it is
 * uploaded ({@link BatchInputCheck}). Every route is scoped to the caller's owner.
 */
final class FilesHandler {
    /** The largest file taken: what one batch of support conversations needs; the body handler refuses more with a 413. */
    static final long MAX_FILE_BYTES = 100L * 1024 * 1024;
    private static final int MAX_LIST = 10_000;

    private final Files files;
    private final OpenAiJson json;
    private final BatchInputCheck batchInput;

    FilesHandler(Files files, OpenAiJson json) {
        this.files = files;
        this.json = json;
        this.batchInput = new BatchInputCheck(json.mapper());
    }

    void upload(RoutingContext ctx) {
        FileUpload upload = ctx.fileUploads().stream().filter(u -> "file".equals(u.name())).findFirst().orElse(null);
        String purpose = ctx.request().getFormAttribute("purpose");
        Context context = ctx.vertx().getOrCreateContext();
        if (upload == null) {
            ErrorResponses.send(ctx.response(), json, ErrorResponses.toApiError(new InvalidRequestException("A 'file' part is required", "file")));
            return;
        }
        ctx.vertx().fileSystem().readFile(upload.uploadedFileName()).onComplete(read -> context.runOnContext(v -> Replies.json(ctx, json, 200, () -> {
            if (read.failed()) return CompletableFuture.failedFuture(new InvalidRequestException("The uploaded file could not be read", "file"));
            byte[] content = read.result().getBytes();
            if ("batch".equals(purpose)) batchInput.check(content);
            return files.upload(Authenticator.owner(ctx), purpose, upload.fileName(), content);
        }, file -> write(json.mapper().createObjectNode(), file).toString())));
    }

    void get(RoutingContext ctx) {
        Replies.json(ctx, json, 200, () -> files.get(Authenticator.owner(ctx), ctx.pathParam("id")),
                file -> write(json.mapper().createObjectNode(), file).toString());
    }

    void content(RoutingContext ctx) {
        Context context = ctx.vertx().getOrCreateContext();
        files.content(Authenticator.owner(ctx), ctx.pathParam("id")).whenComplete((content, error) -> context.runOnContext(v -> {
            if (error != null) ErrorResponses.send(ctx.response(), json, ErrorResponses.toApiError(error));
            else ctx.response().putHeader("content-type", "application/octet-stream").end(io.vertx.core.buffer.Buffer.buffer(content));
        }));
    }

    void list(RoutingContext ctx) {
        Replies.json(ctx, json, 200, () -> {
            String order = ctx.request().getParam("order", "desc");
            if (!order.equals("desc")) throw new InvalidRequestException("Only 'order=desc' (newest first) is supported", "order");
            return files.list(Authenticator.owner(ctx), ctx.request().getParam("purpose"), ctx.request().getParam("after"),
                    Paging.limit(ctx, 100, MAX_LIST));
        }, page -> Paging.write(json.mapper(), page, StoredFile::id, FilesHandler::write));
    }

    void delete(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        Replies.json(ctx, json, 200, () -> files.delete(Authenticator.owner(ctx), id),
                done -> json.mapper().createObjectNode().put("id", id).put("object", "file").put("deleted", true).toString());
    }

    /** OpenAI's file object. */
    static ObjectNode write(ObjectNode node, StoredFile file) {
        return node.put("id", file.id()).put("object", "file").put("bytes", file.bytes()).put("created_at", file.createdAt().getEpochSecond())
                .put("filename", file.filename()).put("purpose", file.purpose()).put("status", "processed").putNull("expires_at")
                .putNull("status_details");
    }
}
