package io.sluice.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;

/**
 * Rows passed to PostgreSQL as one array a column, read back as a table by {@code unnest}: any number of rows is the
 * same statement, so it is prepared once on the server and planned once, never put together again for a new row
 * count. Every array is sent as text and parsed by PostgreSQL into its column's type, so a value is converted exactly
 * as a bound parameter of that type would be.
 *
 * @param <T> what one row is made from
 */
final class UnnestColumns<T> {
    /** A column: its name, its SQL type, and its value in a row as PostgreSQL's text for that type (null for NULL). */
    record Column<T>(String name, String type, Function<T, String> value) {}

    private final List<Column<T>> columns;

    UnnestColumns(List<Column<T>> columns) {
        this.columns = List.copyOf(columns);
    }

    static <T> Column<T> column(String name, String type, Function<T, String> value) {
        return new Column<>(name, type, value);
    }

    /** {@code unnest(CAST(? AS type[]), …) AS alias (name, …)}: one parameter a column, in order. */
    String from(String alias) {
        StringBuilder sql = new StringBuilder("unnest(");
        for (int i = 0; i < columns.size(); i++) sql.append(i > 0 ? ", " : "").append("CAST(? AS ").append(columns.get(i).type()).append("[])");
        sql.append(") AS ").append(alias).append(" (");
        for (int i = 0; i < columns.size(); i++) sql.append(i > 0 ? ", " : "").append(columns.get(i).name());
        return sql.append(')').toString();
    }

    /** The column names, comma-separated. */
    String names() {
        return String.join(", ", columns.stream().map(Column::name).toList());
    }

    /** Binds {@code rows}' columns as the parameters {@link #from} holds, from {@code index} on; returns the next index. */
    int bind(PreparedStatement statement, int index, List<T> rows) throws SQLException {
        Connection connection = statement.getConnection();
        for (Column<T> column : columns) {
            String[] values = new String[rows.size()];
            for (int r = 0; r < values.length; r++) values[r] = column.value().apply(rows.get(r));
            statement.setArray(index++, connection.createArrayOf(column.type(), values));
        }
        return index;
    }
}
