package io.sluice.engine.cache;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatOptions;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.ContentPart;
import io.sluice.domain.ToolCall;
import io.sluice.domain.ToolDefinition;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The response cache's key for a call: a SHA-256 digest of its scope, the model it goes to and the upstream request
 * after context building (every message, the tools, {@code response_format}, the sampling parameters). Each field is
 * written with its length in front, so no two requests share an encoding; maps are written in key order, so every
 * replica derives the same key. What does not change the answer is left out: the end user's id, stream options,
 * metadata and {@code store}. A digest, not the text, so that no message text reaches a shared store's keys.
 */
public final class ResponseKey {
    /** Pass-through fields that do not change the answer. */
    private static final Set<String> IGNORED_FIELDS = Set.of("stream_options", "metadata", "store", "user");

    private ResponseKey() {}

    /** The exact key of {@code request} sent to {@code model} within {@code scope}. */
    public static String exact(String scope, String model, ChatRequest request) {
        Digest d = new Digest().text("exact").text(scope).text(model).text(request.model());
        d.count(request.messages().size());
        for (ChatMessage m : request.messages()) message(d, m);
        options(d, request.options());
        return d.hex();
    }

    /**
     * The semantic bucket of {@code request}: everything of the exact key but its last message, whose text is the
     * question compared by meaning within the bucket, and the identifiers that question names, which must match.
     */
    public static String bucket(String scope, String model, ChatRequest request, String identifiers) {
        Digest d = new Digest().text("semantic").text(scope).text(model).text(request.model()).text(identifiers);
        List<ChatMessage> leading = request.messages().subList(0, request.messages().size() - 1);
        d.count(leading.size());
        for (ChatMessage m : leading) message(d, m);
        options(d, request.options());
        return d.hex();
    }

    private static void message(Digest d, ChatMessage m) {
        d.text(m.role().wireName()).text(m.content()).text(m.name()).text(m.toolCallId()).count(m.toolCalls().size());
        for (ToolCall call : m.toolCalls()) d.text(call.id()).text(call.name()).text(call.argumentsJson());
        d.count(m.parts().size());
        for (ContentPart part : m.parts()) {
            switch (part) {
                case ContentPart.Text t -> d.text("text").text(t.text());
                case ContentPart.Image i -> d.text("image").text(i.url()).text(i.detail());
                case ContentPart.Audio a -> d.text("audio").text(a.data()).text(a.format());
                case ContentPart.File f -> d.text("file").text(f.fileId()).text(f.fileData()).text(f.filename());
            }
        }
    }

    private static void options(Digest d, ChatOptions o) {
        d.number(o.temperature()).number(o.topP()).number(o.maxTokens()).count(o.stop().size());
        o.stop().forEach(d::text);
        d.count(o.tools().size());
        for (ToolDefinition t : o.tools()) d.text(t.type()).text(t.name()).text(t.description()).text(t.parametersJson()).text(String.valueOf(t.strict())).text(t.wireJson());
        d.text(o.toolChoiceJson()).text(o.responseFormatJson()).number(o.seed()).number(o.presencePenalty()).number(o.frequencyPenalty())
                .number(o.n());
        Map<String, String> extra = new TreeMap<>(o.extraJson());
        IGNORED_FIELDS.forEach(extra::remove);
        d.count(extra.size());
        extra.forEach((name, json) -> d.text(name).text(json));
    }

    /** Length-prefixed fields into SHA-256; null is written apart from every string. */
    private static final class Digest {
        private final MessageDigest sha;

        Digest() {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }

        Digest text(String value) {
            if (value == null) return count(-1);
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            count(bytes.length);
            sha.update(bytes);
            return this;
        }

        Digest number(Number value) {
            return text(value == null ? null : value.toString());
        }

        Digest count(int n) {
            sha.update((byte) (n >>> 24));
            sha.update((byte) (n >>> 16));
            sha.update((byte) (n >>> 8));
            sha.update((byte) n);
            return this;
        }

        String hex() {
            return HexFormat.of().formatHex(sha.digest());
        }
    }
}
