package io.sluice.engine.sla;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.sla.CircuitSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CircuitsTest {
    @Test
    void anEndpointWithSettingsOfItsOwnOpensByThemAndTheOthersByTheGateways() {
        CircuitSettings strict = new CircuitSettings(50, 2, Duration.ofSeconds(10), 1, Duration.ofSeconds(5));
        Circuits circuits = new Circuits(CircuitSettings.DEFAULTS, Map.of("flaky", strict));
        assertThat(circuits.settingsOf("flaky")).isEqualTo(strict);
        assertThat(circuits.settingsOf("steady")).isEqualTo(CircuitSettings.DEFAULTS);
        for (String endpoint : new String[] {"flaky", "steady"}) {
            var circuit = circuits.of("gpt-4o", endpoint);
            for (int i = 0; i < 2; i++) {
                assertThat(circuit.tryAcquirePermit()).isTrue();
                circuit.recordFailure();
            }
        }
        assertThat(circuits.of("gpt-4o", "flaky").isOpen()).as("2 failures of at least 2 calls").isTrue();
        assertThat(circuits.of("gpt-4o", "steady").isOpen()).as("the default needs 10 calls").isFalse();
    }
}
