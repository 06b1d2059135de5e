package io.sluice.app.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.sluice.ports.out.TraceHeaders;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Traces are exported only when the SDK's own settings say where to; a collector that is down costs a call nothing. */
class TelemetryTest {
    @Test
    void spansAreExportedOnlyWhenAnExporterOrAnOtlpEndpointIsNamed() {
        Properties none = new Properties();
        assertThat(Telemetry.exports(Map.of(), none)).isFalse();
        assertThat(Telemetry.exports(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"), none)).isTrue();
        assertThat(Telemetry.exports(Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/v1/traces"), none)).isTrue();
        assertThat(Telemetry.exports(Map.of("OTEL_TRACES_EXPORTER", "otlp"), none)).isTrue();
        assertThat(Telemetry.exports(Map.of("OTEL_TRACES_EXPORTER", "none", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"), none)).isFalse();
        assertThat(Telemetry.exports(Map.of("OTEL_SDK_DISABLED", "true", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"), none)).isFalse();
        Properties property = new Properties();
        property.setProperty("otel.exporter.otlp.endpoint", "http://collector:4318");
        assertThat(Telemetry.exports(Map.of(), property)).isTrue();
        assertThat(Telemetry.open(Map.of(), none)).isNotInstanceOf(OpenTelemetrySdk.class);
    }

    @Test
    void aCollectorThatIsDownLosesTheSpansAndNothingElse() {
        var otel = Telemetry.open(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1", "OTEL_EXPORTER_OTLP_TIMEOUT", "500"), new Properties());
        assertThat(otel).isInstanceOf(OpenTelemetrySdk.class);
        var span = new OtelCallTracer(otel).start("chat gpt-4o", new TraceHeaders("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null));
        assertThat(span.traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        span.child("sluice.context", io.sluice.ports.out.TraceSpan.Kind.INTERNAL).end();
        span.end();
        Telemetry.close(otel); // flushes into a refused connection: fails quietly, returns
    }
}
