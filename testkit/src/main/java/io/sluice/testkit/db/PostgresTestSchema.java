package io.sluice.testkit.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh schema in the test PostgreSQL for one test class, so that tests never see each other's rows or an older
 * migration history, and dropped again on close. The server comes from {@code SLUICE_TEST_PG_URL},
 * {@code SLUICE_TEST_PG_USER} and {@code SLUICE_TEST_PG_PASSWORD}, by default the local one the test script starts.
 */
public final class PostgresTestSchema implements AutoCloseable {
    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test";

    private final String serverUrl = System.getenv().getOrDefault("SLUICE_TEST_PG_URL", DEFAULT_URL);
    private final String user = System.getenv().getOrDefault("SLUICE_TEST_PG_USER", "postgres");
    private final String password = System.getenv("SLUICE_TEST_PG_PASSWORD");
    private final String schema = "sluice_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    public PostgresTestSchema() {
        execute("CREATE SCHEMA " + schema);
    }

    /** A JDBC URL whose connections work in this schema only. */
    public String jdbcUrl() {
        return serverUrl + (serverUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    @Override
    public void close() {
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    private void execute(String sql) {
        try (Connection c = DriverManager.getConnection(serverUrl, user, password); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test PostgreSQL at " + serverUrl + " is not usable: " + e.getMessage(), e);
        }
    }
}
