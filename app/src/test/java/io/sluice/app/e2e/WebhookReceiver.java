package io.sluice.app.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** An operator's webhook endpoint: keeps every POST it is sent; answers the first {@code failing} with a 503. */
final class WebhookReceiver implements AutoCloseable {
    record Delivery(String id, String event, String signature, String body) {}

    private final HttpServer server;
    final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    WebhookReceiver(int failing) throws IOException {
        AtomicInteger toFail = new AtomicInteger(failing);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hooks/budget", exchange -> {
            try (exchange) {
                var headers = exchange.getRequestHeaders();
                deliveries.add(new Delivery(java.net.URLDecoder.decode(headers.getFirst("x-sluice-delivery"), StandardCharsets.UTF_8), headers.getFirst("x-sluice-event"), headers.getFirst("x-sluice-signature"),
                        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                exchange.sendResponseHeaders(toFail.getAndDecrement() > 0 ? 503 : 204, -1);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/budget";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
