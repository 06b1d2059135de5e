package io.sluice.jdbc;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * Named parameter values, each null carrying its SQL type, bound either to a JDBI statement or, on the hot path, to a
 * plain {@link PreparedStatement} through {@link PositionalSql}: there JDBI's per-argument type resolution was a tenth
 * of a stored turn's CPU in the gateway (docs/performance.md).
 */
final class Params {
    private record Null(int sqlType) {}

    private static final Null TEXT = new Null(Types.VARCHAR), NUMBER = new Null(Types.NUMERIC);

    private final Map<String, Object> values;

    Params(int expected) {
        values = HashMap.newHashMap(expected);
    }

    /** A value that is never null: a number, a boolean, a timestamp or a date. */
    Params put(String name, Object value) {
        values.put(name, java.util.Objects.requireNonNull(value, name));
        return this;
    }

    Params text(String name, String value) {
        values.put(name, value == null ? TEXT : value);
        return this;
    }

    Params number(String name, BigDecimal value) {
        values.put(name, value == null ? NUMBER : value);
        return this;
    }

    <S extends SqlStatement<S>> S bindTo(S statement) {
        values.forEach((name, value) -> {
            if (value instanceof Null n) statement.bindNull(name, n.sqlType());
            else statement.bind(name, value);
        });
        return statement;
    }

    /** Sets parameter {@code index} of {@code statement} to the value named {@code name}. */
    void set(PreparedStatement statement, int index, String name) throws SQLException {
        Object value = values.get(name);
        if (value == null) throw new IllegalArgumentException("no value for parameter " + name);
        if (value instanceof Null n) statement.setNull(index, n.sqlType());
        else statement.setObject(index, value);
    }
}
