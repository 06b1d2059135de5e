package io.sluice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A statement put together from parsed fragments is the statement JDBI's parser makes of the whole text. */
class PositionalSqlTest {
    @Test
    void numberedRowsMatchTheParseOfTheWholeStatement() {
        PositionalSql row = PositionalSql.parse("(:a, CAST(:b AS DATE), 'x:y')");
        PositionalSql.Builder built = PositionalSql.builder().text("INSERT INTO t VALUES ");
        for (int i = 0; i < 3; i++) built.text(i > 0 ? ", " : "").add(row, i);
        PositionalSql whole = PositionalSql.parse(
                "INSERT INTO t VALUES (:a0, CAST(:b0 AS DATE), 'x:y'), (:a1, CAST(:b1 AS DATE), 'x:y'), (:a2, CAST(:b2 AS DATE), 'x:y')");
        assertThat(built.build()).isEqualTo(whole);
        assertThat(whole.names()).containsExactly("a0", "b0", "a1", "b1", "a2", "b2");
    }

    @Test
    void theBillsStatementNamesEachEntrysParametersOnce() {
        PositionalSql bills = LedgerRows.statement(3);
        assertThat(bills.sql()).doesNotContain(":request");
        assertThat(bills.names()).hasSize(3 * LedgerRows.PER_ENTRY).doesNotHaveDuplicates().contains("request0", "similarity2");
    }

    @Test
    void unparsedTextMayHoldNoParameter() {
        assertThatThrownBy(() -> PositionalSql.builder().text("WHERE a = :a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PositionalSql.builder().text("WHERE a = ?")).isInstanceOf(IllegalArgumentException.class);
    }
}
