package io.sluice.http.upstream;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a server-sent-event byte stream into the data payloads of its events. Works on bytes, so a UTF-8
 * character split across network buffers is decoded whole. Not thread-safe: feed it from one stream.
 */
public final class SseDecoder {
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final StringBuilder data = new StringBuilder();
    private final Consumer<String> onEvent;

    public SseDecoder(Consumer<String> onEvent) {
        this.onEvent = onEvent;
    }

    public void feed(byte[] bytes) {
        for (byte b : bytes) {
            if (b == '\n') {
                endLine();
            } else {
                line.write(b);
            }
        }
    }

    private void endLine() {
        byte[] raw = line.toByteArray();
        line.reset();
        int length = raw.length > 0 && raw[raw.length - 1] == '\r' ? raw.length - 1 : raw.length;
        if (length == 0) {
            if (!data.isEmpty()) {
                String event = data.toString();
                data.setLength(0);
                onEvent.accept(event);
            }
            return;
        }
        String text = new String(raw, 0, length, StandardCharsets.UTF_8);
        if (text.startsWith("data:")) {
            if (!data.isEmpty()) data.append('\n');
            data.append(text.startsWith("data: ") ? text.substring(6) : text.substring(5));
        }
        // "event:", "id:", "retry:" and ":" comments carry nothing an OpenAI chat stream needs.
    }
}
