package io.sluice.app.e2e;

import io.sluice.jdbc.StorageSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a gateway's database straight, for tests that check what it wrote (ledger rows, budget counters). */
final class Sql {
    private Sql() {}

    static List<Map<String, Object>> rows(StorageSettings storage, String sql, Object... params) {
        try (Connection c = DriverManager.getConnection(storage.jdbcUrl(), storage.user(), storage.password());
             var statement = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) statement.setObject(i + 1, params[i]);
            try (ResultSet rs = statement.executeQuery()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(), rs.getObject(i));
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static int update(StorageSettings storage, String sql, Object... params) {
        try (Connection c = DriverManager.getConnection(storage.jdbcUrl(), storage.user(), storage.password());
             var statement = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) statement.setObject(i + 1, params[i]);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static Object value(StorageSettings storage, String sql, Object... params) {
        List<Map<String, Object>> rows = rows(storage, sql, params);
        return rows.isEmpty() ? null : rows.getFirst().values().iterator().next();
    }
}
