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
 * order, for statements run on plain JDBC (see {@link Params}).
 */
record PositionalSql(String sql, List<String> names) {
    private static final ColonPrefixSqlParser PARSER = new ColonPrefixSqlParser();

    static PositionalSql parse(String namedSql) {
        ParsedSql parsed = PARSER.parse(namedSql, null);
        return new PositionalSql(parsed.getSql(), List.copyOf(parsed.getParameters().getParameterNames()));
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
