package io.sluice.app.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 on a raw socket, for what an HTTP client library will not do: hang up mid-call (after some of a stream's
 * chunks, or before a plain answer comes), send bytes that are not valid HTTP, and show exactly how a body ended.
 */
final class RawHttp {
    private RawHttp() {}

    /**
     * Sends {@code request} as it is and reads until the server closes the connection or {@code wait} passes; returns
     * every byte that came back, as text (an empty string when the server answered nothing).
     */
    static String exchange(int port, byte[] request, java.time.Duration wait) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) wait.toMillis());
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n = socket.getInputStream().read(buffer); n >= 0; n = socket.getInputStream().read(buffer)) received.write(buffer, 0, n);
            } catch (java.net.SocketTimeoutException | java.net.SocketException stopped) {
                // the wait passed, or the server reset the connection: what came until then is the answer
            }
            return received.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * A POST of {@code body} to {@code path} as bytes, with a correct content-length, more headers (name, value, ...),
     * and {@code connection: close}, so that the server closes the connection once it has answered.
     */
    static byte[] post(String path, String body, String... headers) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder more = new StringBuilder();
        for (int i = 0; i + 1 < headers.length; i += 2) more.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nconnection: close\r\ncontent-type: application/json\r\n" + more
                + "content-length: " + bytes.length + "\r\n\r\n";
        byte[] all = java.util.Arrays.copyOf(head.getBytes(StandardCharsets.US_ASCII), head.length() + bytes.length);
        System.arraycopy(bytes, 0, all, head.length(), bytes.length);
        return all;
    }

    /** Posts a chat call and hangs up once {@code chunks} data events arrived; returns how many content chunks it read. */
    static int streamThenHangUp(int port, String body, int chunks, String... headers) throws IOException {
        return streamThenHangUp(port, "/v1/chat/completions", body, "\"content\"", chunks, headers);
    }

    /** As {@link #streamThenHangUp(int, String, int, String...)} on any streaming route: a chunk is a data line holding {@code marker}. */
    static int streamThenHangUp(int port, String path, String body, String marker, int chunks, String... headers) throws IOException {
        try (Socket socket = send(port, path, body, headers)) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            int seen = 0;
            for (String line = in.readLine(); line != null && seen < chunks; line = in.readLine()) {
                if (line.startsWith("data: {") && line.contains(marker)) seen++;
                if (line.startsWith("data: [DONE]")) break;
            }
            return seen;
        }
    }

    /** Posts a chat call and leaves the connection open: the caller hangs up by closing it. */
    static Socket postAndHold(int port, String body, String... headers) throws IOException {
        return send(port, body, headers);
    }

    /** Posts a chat call and hangs up at once, before any answer. */
    static void postThenHangUp(int port, String body, String... headers) throws IOException {
        send(port, body, headers).close();
    }

    private static Socket send(int port, String body, String... headers) throws IOException {
        return send(port, "/v1/chat/completions", body, headers);
    }

    private static Socket send(int port, String path, String body, String... headers) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\n");
        for (int i = 0; i + 1 < headers.length; i += 2) head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        head.append("content-length: ").append(bytes.length).append("\r\n\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        return socket;
    }
}
