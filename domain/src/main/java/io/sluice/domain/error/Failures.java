package io.sluice.domain.error;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Helpers for failures that cross asynchronous stages. */
public final class Failures {
    private Failures() {}

    /** The failure itself, without the {@link CompletionException}/{@link ExecutionException} wrappers stages add. */
    public static Throwable cause(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) t = t.getCause();
        return t;
    }
}
