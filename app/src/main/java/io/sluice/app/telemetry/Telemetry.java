package io.sluice.app.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The process's OpenTelemetry, set up by the SDK's own environment variables ({@code OTEL_EXPORTER_OTLP_ENDPOINT},
 * {@code OTEL_TRACES_EXPORTER}, {@code OTEL_SERVICE_NAME} and the rest, or their {@code otel.*} system properties).
 * Spans are exported only when those name an exporter or an OTLP endpoint: the SDK's own default would send them to
 * localhost:4318 whether or not anything listens. Otherwise nothing is recorded, and a caller's {@code traceparent}
 * still reaches the upstream unchanged. OTLP goes over HTTP ({@code http/protobuf}, the OpenTelemetry spec's default);
 * this build carries no gRPC sender.
 */
public final class Telemetry {
    /** The gateway exports traces only; metrics are Prometheus's ({@code /metrics}), logs are Logback's. */
    private static final Map<String, String> DEFAULTS = Map.of("otel.service.name", "sluice", "otel.metrics.exporter", "none",
            "otel.logs.exporter", "none", "otel.exporter.otlp.protocol", "http/protobuf");

    private Telemetry() {}

    /** An SDK that exports when {@code env} or {@code properties} say so (close it to flush), else one that only propagates. */
    public static OpenTelemetry open(Map<String, String> env, Properties properties) {
        if (!exports(env, properties)) return OpenTelemetry.propagating(ContextPropagators.create(W3CTraceContextPropagator.getInstance()));
        Map<String, String> settings = new java.util.HashMap<>(DEFAULTS);
        env.forEach((name, value) -> {
            if (name.startsWith("OTEL_")) settings.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
        });
        try {
            return AutoConfiguredOpenTelemetrySdk.builder().addPropertiesSupplier(() -> settings).disableShutdownHook().build().getOpenTelemetrySdk();
        } catch (RuntimeException e) { // e.g. OTEL_EXPORTER_OTLP_PROTOCOL=grpc: this build sends OTLP over HTTP only
            throw new IllegalStateException("OpenTelemetry could not be set up from its OTEL_* settings: " + e.getMessage(), e);
        }
    }

    /** Flushes and stops what {@link #open} started, if it started anything. */
    public static void close(OpenTelemetry otel) {
        if (otel instanceof OpenTelemetrySdk sdk) sdk.close();
    }

    /** Whether the SDK's settings name somewhere to send spans, and do not turn it off. */
    static boolean exports(Map<String, String> env, Properties properties) {
        if ("true".equalsIgnoreCase(setting("otel.sdk.disabled", env, properties))) return false;
        String exporter = setting("otel.traces.exporter", env, properties);
        if (exporter != null) return !exporter.isBlank() && !"none".equalsIgnoreCase(exporter.trim());
        return setting("otel.exporter.otlp.endpoint", env, properties) != null || setting("otel.exporter.otlp.traces.endpoint", env, properties) != null;
    }

    /** A setting as the SDK reads it: the system property, else the environment variable ({@code otel.a.b} is {@code OTEL_A_B}). */
    private static String setting(String property, Map<String, String> env, Properties properties) {
        String value = properties.getProperty(property);
        if (value == null) value = env.get(property.toUpperCase(Locale.ROOT).replace('.', '_'));
        return value == null || value.isBlank() ? null : value;
    }
}
