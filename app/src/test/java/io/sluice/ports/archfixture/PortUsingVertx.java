package io.sluice.ports.archfixture;

/** Breaks "ports depend only on domain" on purpose; lives in test sources only. */
public interface PortUsingVertx {
    io.vertx.core.Future<String> call();
}
