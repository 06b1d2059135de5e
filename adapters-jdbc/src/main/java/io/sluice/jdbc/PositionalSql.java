package io.sluice.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.ColonPrefixSqlParser;
import org.jdbi.v3.core.statement.ParsedSql;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * SQL with {@code :named} parameters, parsed once by JDBI's own parser into JDBC's {@code ?} form and the names in
 * order, for statements run on plain JDBC (see {@link Params}). A multi-row statement is put together ({@link Builder})
 * from fragments parsed once, a row's names numbered: parsing a whole statement of a hundred rows took JDBI's ANTLR
 * lexer milliseconds, once for every new row count (a tenth of a stateless call's CPU in a 20 s profile).
 */
record PositionalSql(String sql, List<String> names) {
    private static final ColonPrefixSqlParser PARSER = new ColonPrefixSqlParser();

    static PositionalSql parse(String namedSql) {
        ParsedSql parsed = PARSER.parse(namedSql, null);
        return new PositionalSql(parsed.getSql(), List.copyOf(parsed.getParameters().getParameterNames()));
    }

    static Builder builder() {
        return new Builder();
    }

    /** Puts a statement together from parsed fragments and parameter-free text, in order. */
    static final class Builder {
        private final StringBuilder sql = new StringBuilder();
        private final List<String> names = new java.util.ArrayList<>();

        private Builder() {}

        Builder add(PositionalSql fragment) {
            sql.append(fragment.sql);
            names.addAll(fragment.names);
            return this;
        }

        /** {@code fragment} with {@code n} appended to each of its names: row {@code n} of a multi-row statement. */
        Builder add(PositionalSql fragment, int n) {
            sql.append(fragment.sql);
            String suffix = Integer.toString(n);
            for (String name : fragment.names) names.add(name + suffix);
            return this;
        }

        /** Text without parameters: refused if it could hold one, since it is not parsed. */
        Builder text(String text) {
            if (text.indexOf(':') >= 0 || text.indexOf('?') >= 0) throw new IllegalArgumentException("parameters in unparsed SQL text");
            sql.append(text);
            return this;
        }

        PositionalSql build() {
            return new PositionalSql(sql.toString(), List.copyOf(names));
        }
    }

    /** What is done with the prepared statement: executed, its result read. */
    interface Work<T> {
        T on(PreparedStatement statement) throws SQLException;
    }

    /**
     * Runs {@code work} on this statement prepared with {@code values} on {@code h}'s connection (so in its transaction,
     * if any); a failure surfaces as JDBI's would.
     */
    <T> T run(Handle h, Params values, Work<T> work) {
        try (PreparedStatement statement = prepare(h.getConnection(), values)) {
            return work.on(statement);
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    /** Prepares the statement on {@code connection} with {@code values} bound; the caller closes it. */
    private PreparedStatement prepare(Connection connection, Params values) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < names.size(); i++) values.set(statement, i + 1, names.get(i));
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }
}
