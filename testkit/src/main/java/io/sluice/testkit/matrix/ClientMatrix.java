package io.sluice.testkit.matrix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Records the outcome of every test marked {@link MatrixCell} under {@code target/client-matrix/}, one file per test
 * invocation (named by its unique id, so a later run overwrites it): {@code client TAB capability TAB passes|fails}.
 */
public final class ClientMatrix implements TestWatcher {
    /** In the module's target folder: Surefire names the module's folder {@code basedir}, which an IDE may not run in. */
    static final Path DIR = Path.of(System.getProperty("basedir", "."), "target", "client-matrix");

    @Override
    public void testSuccessful(ExtensionContext context) {
        record(context, "passes");
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        record(context, "fails");
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        record(context, "fails"); // a cell whose test did not run has not passed
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        record(context, "fails");
    }

    private static void record(ExtensionContext context, String outcome) {
        Method test = context.getRequiredTestMethod();
        StringBuilder lines = new StringBuilder();
        for (MatrixCell cell : test.getAnnotationsByType(MatrixCell.class)) {
            lines.append(cell.client()).append('\t').append(cell.capability()).append('\t').append(outcome).append('\n');
        }
        try {
            Files.createDirectories(DIR);
            Files.writeString(DIR.resolve(digest(context.getUniqueId()) + ".tsv"), lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String digest(String id) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8))).substring(0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
