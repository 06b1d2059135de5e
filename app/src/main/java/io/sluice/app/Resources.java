package io.sluice.app;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/** What the composition root opened and must close on shutdown, closed in reverse order. Thread-safe. */
public final class Resources implements AutoCloseable {
    private final Deque<Runnable> closers = new ArrayDeque<>();

    public synchronized <T> T add(T resource, Consumer<T> close) {
        closers.push(() -> close.accept(resource));
        return resource;
    }

    @Override
    public synchronized void close() {
        while (!closers.isEmpty()) {
            try {
                closers.pop().run();
            } catch (RuntimeException e) {
                System.getLogger(Resources.class.getName()).log(System.Logger.Level.WARNING, "closing failed: " + io.sluice.domain.error.Failures.describe(e));
            }
        }
    }
}
