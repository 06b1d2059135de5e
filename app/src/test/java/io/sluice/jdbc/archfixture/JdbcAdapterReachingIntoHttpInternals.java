package io.sluice.jdbc.archfixture;

/** Breaks "no module reaches into another's internals" on purpose; lives in test sources only. */
public class JdbcAdapterReachingIntoHttpInternals {
    Object json = new io.sluice.http.internal.OpenAiJson(null);
}
