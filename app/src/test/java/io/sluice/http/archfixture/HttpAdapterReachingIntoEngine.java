package io.sluice.http.archfixture;

/** Breaks "adapters do not depend on the engine" on purpose; lives in test sources only. */
public class HttpAdapterReachingIntoEngine {
    Object counter = new io.sluice.engine.tokens.JtokkitTokenCounter();
}
