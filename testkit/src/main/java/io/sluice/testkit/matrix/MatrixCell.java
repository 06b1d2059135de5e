package io.sluice.testkit.matrix;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test as (part of) one cell of the client matrix in docs/compatibility.md: a real client library doing one
 * thing against the gateway. Its outcome is recorded by {@link ClientMatrix}; a cell passes when every test marked
 * with it passed. {@code compat/matrix} writes the table from these records and the Node clients'.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Repeatable(MatrixCell.List.class)
@ExtendWith(ClientMatrix.class)
public @interface MatrixCell {
    /** The client as the matrix names it, for example {@code openai-java 4.x}. */
    String client();

    /** The capability, one of the matrix's rows, for example {@code tools round trip}. */
    String capability();

    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @ExtendWith(ClientMatrix.class)
    @interface List {
        MatrixCell[] value();
    }
}
