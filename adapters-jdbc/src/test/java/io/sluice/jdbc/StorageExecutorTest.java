package io.sluice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/**
 * What marks the database unreachable: failing to get or keep a connection, not a statement the database refused
 * (PostgresOutageTest stops a real server; this pins the line between the two).
 */
class StorageExecutorTest {
    @Test
    void connectionFailuresMarkTheDatabaseUnreachable() {
        assertThat(StorageExecutor.isUnreachable(new IllegalStateException(new SQLTransientConnectionException("pool timed out")))).isTrue();
        assertThat(StorageExecutor.isUnreachable(new RuntimeException(new SQLException("I/O error", "08006")))).isTrue();
        assertThat(StorageExecutor.isUnreachable(new RuntimeException(new SQLException("terminating connection", "57P01")))).isTrue();
        assertThat(StorageExecutor.isUnreachable(new RuntimeException(new ConnectException("Connection refused")))).isTrue();
    }

    @Test
    void aStatementTheDatabaseRefusedDoesNot() {
        assertThat(StorageExecutor.isUnreachable(new RuntimeException(new SQLException("duplicate key", "23505")))).isFalse();
        assertThat(StorageExecutor.isUnreachable(new RuntimeException(new SQLException("invalid byte sequence", "22021")))).isFalse();
        assertThat(StorageExecutor.isUnreachable(new IllegalStateException("a bug"))).isFalse();
    }
}
