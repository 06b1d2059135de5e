package io.sluice.app.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A client on a raw socket that hangs up mid-call: after some of a stream's chunks, or before a plain answer comes. */
final class HangingUpClient {
    private HangingUpClient() {}

    /** Posts a chat call and hangs up once {@code chunks} data events arrived; returns how many content chunks it read. */
    static int streamThenHangUp(int port, String body, int chunks, String... headers) throws IOException {
        try (Socket socket = send(port, body, headers)) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            int seen = 0;
            for (String line = in.readLine(); line != null && seen < chunks; line = in.readLine()) {
                if (line.startsWith("data: {") && line.contains("\"content\"")) seen++;
                if (line.startsWith("data: [DONE]")) break;
            }
            return seen;
        }
    }

    /** Posts a chat call and hangs up at once, before any answer. */
    static void postThenHangUp(int port, String body) throws IOException {
        send(port, body).close();
    }

    private static Socket send(int port, String body, String... headers) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\n");
        for (int i = 0; i + 1 < headers.length; i += 2) head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        head.append("content-length: ").append(bytes.length).append("\r\n\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        return socket;
    }
}
