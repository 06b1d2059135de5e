package io.sluice.app.e2e;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OTLP/HTTP receiver, as a collector is one: it takes {@code POST /v1/traces} in protobuf, the OpenTelemetry SDK's
 * default, and keeps every span with its resource's {@code service.name}.
 */
final class OtlpReceiver implements AutoCloseable {
    record Received(String service, Span span) {
        String name() {
            return span.getName();
        }

        String traceId() {
            return HexFormat.of().formatHex(span.getTraceId().toByteArray());
        }

        String spanId() {
            return HexFormat.of().formatHex(span.getSpanId().toByteArray());
        }

        String parentId() {
            return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
        }

        Optional<String> attribute(String key) {
            return span.getAttributesList().stream().filter(kv -> kv.getKey().equals(key)).findFirst().map(OtlpReceiver::text);
        }

        boolean hasEvent(String name) {
            return span.getEventsList().stream().anyMatch(e -> e.getName().equals(name));
        }

        boolean failed() {
            return span.getStatus().getCode() == io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR;
        }
    }

    private final HttpServer server;
    private final List<Received> spans = new CopyOnWriteArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/traces", exchange -> {
            try (exchange) {
                ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(exchange.getRequestBody().readAllBytes());
                for (var resource : request.getResourceSpansList()) {
                    String service = resource.getResource().getAttributesList().stream().filter(kv -> kv.getKey().equals("service.name"))
                            .findFirst().map(OtlpReceiver::text).orElse("");
                    for (var scope : resource.getScopeSpansList()) for (Span span : scope.getSpansList()) spans.add(new Received(service, span));
                }
                byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                exchange.getResponseHeaders().add("content-type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            }
        });
        server.start();
    }

    private static String text(KeyValue kv) {
        var value = kv.getValue();
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case INT_VALUE -> Long.toString(value.getIntValue());
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            default -> value.toString();
        };
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Received> spans() {
        return List.copyOf(spans);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
