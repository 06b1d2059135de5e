package io.sluice.engine.archfixture;

/** Breaks "engine does not depend on adapters" on purpose; lives in test sources only. */
public class EngineClassUsingAnAdapter {
    io.sluice.jdbc.StorageSettings settings = io.sluice.jdbc.StorageSettings.embedded("/tmp");
}
