package io.sluice.jdbc;

/**
 * How to reach the relational store. {@code password} may be null and is never logged ({@link #toString()} hides it).
 *
 * @param poolSize connections in the pool, and threads that run blocking queries
 */
public record StorageSettings(Dialect dialect, String jdbcUrl, String user, String password, int poolSize) {
    public static final int DEFAULT_POOL_SIZE = 16;

    /**
     * The supported databases. Migrations are shared ({@code db/migration/common}) while the SQL is portable; a
     * dialect that needs its own SQL gets a folder of its own, added to {@link #migrations()}.
     */
    public enum Dialect {
        POSTGRESQL, H2;

        String[] migrations() {
            return this == POSTGRESQL ? new String[]{"classpath:db/migration/common", "classpath:db/migration/postgresql"}
                    : new String[]{"classpath:db/migration/common", "classpath:db/migration/h2"};
        }
    }

    public StorageSettings {
        if (dialect == null) throw new IllegalArgumentException("'dialect' must not be null");
        if (jdbcUrl == null || jdbcUrl.isBlank()) throw new IllegalArgumentException("'jdbcUrl' must not be blank");
        if (poolSize < 1) throw new IllegalArgumentException("'poolSize' must be positive, was " + poolSize);
    }

    /** The embedded default: an H2 database in a file under {@code directory}. */
    public static StorageSettings embedded(String directory) {
        return new StorageSettings(Dialect.H2, "jdbc:h2:file:" + directory + "/sluice;DB_CLOSE_ON_EXIT=FALSE", "sa", "", DEFAULT_POOL_SIZE);
    }

    @Override
    public String toString() {
        return "StorageSettings[dialect=" + dialect + ", jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=***, poolSize=" + poolSize + "]";
    }
}
