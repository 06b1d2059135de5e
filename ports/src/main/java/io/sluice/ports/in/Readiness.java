package io.sluice.ports.in;

import java.util.concurrent.CompletionStage;

/** Whether the gateway can serve calls now: its stores answer. Completes exceptionally when it cannot. */
public interface Readiness {
    CompletionStage<Void> check();
}
