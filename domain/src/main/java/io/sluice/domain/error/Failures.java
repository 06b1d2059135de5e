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

    /**
     * A failure as a log line may show it: the classes of its causes and where it was thrown, never a message that
     * could carry data (a JDBC driver's message holds the SQL with its bound values, message text and user ids; a
     * Redis client's may hold keys). The JVM's own messages for its runtime errors carry none, and are kept.
     */
    public static String describe(Throwable failure) {
        Throwable t = cause(failure);
        StringBuilder line = new StringBuilder();
        int depth = 0;
        for (Throwable c = t; c != null && depth < 5; c = c.getCause() == c ? null : c.getCause(), depth++) {
            if (depth > 0) line.append(" <- ");
            line.append(c.getClass().getName());
            if (c instanceof SluiceException || isJvmRuntimeError(c)) line.append(": ").append(c.getMessage());
        }
        StackTraceElement[] trace = t.getStackTrace();
        if (trace.length > 0) line.append(" at ").append(trace[0].getClassName()).append('.').append(trace[0].getMethodName())
                .append(':').append(trace[0].getLineNumber());
        return line.toString();
    }

    private static boolean isJvmRuntimeError(Throwable t) {
        return t instanceof NullPointerException || t instanceof ClassCastException || t instanceof IndexOutOfBoundsException
                || t instanceof ArithmeticException || t instanceof ArrayStoreException || t instanceof NegativeArraySizeException;
    }
}
