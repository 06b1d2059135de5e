package io.sluice.jdbc;

import io.sluice.domain.routing.ChainLink;
import io.sluice.domain.routing.Complexity;
import io.sluice.ports.out.RouteWeightStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link RouteWeightStore} on JDBI, for PostgreSQL and H2 alike: a route's row is updated in place, only from the
 * version the change was made from (its version one up, under the row's lock), or inserted with version 1; of two
 * replicas inserting at once, the one refused by the key is told another came first. Thread-safe.
 */
final class JdbcRouteWeightStore implements RouteWeightStore {
    private final Jdbi jdbi;
    private final StorageExecutor executor;

    JdbcRouteWeightStore(Jdbi jdbi, StorageExecutor executor) {
        this.jdbi = jdbi;
        this.executor = executor;
    }

    @Override
    public CompletionStage<java.util.Optional<Change>> save(String route, Map<String, Integer> weights, Map<String, List<ChainLink>> chains, Instant at,
                                                            String by, long expectedVersion) {
        String encoded = encode(weights);
        String chainText = encodeChains(chains);
        return executor.run(() -> {
            if (expectedVersion > 0) {
                // the update and the read in one transaction: the row's lock keeps a racing change out until both are done
                return jdbi.inTransaction(h -> h.createUpdate("""
                                UPDATE route_weights SET weights = :weights, chains = :chains, version = version + 1, changed_at = :at, changed_by = :by
                                WHERE route = :route AND version = :expected""")
                        .bind("route", route).bind("weights", encoded).bind("chains", chainText).bind("at", Timestamp.from(at)).bind("by", by)
                        .bind("expected", expectedVersion)
                        .execute() == 0 ? java.util.Optional.<Change>empty() : java.util.Optional.of(read(h, route)));
            }
            try {
                return jdbi.inTransaction(h -> {
                    h.createUpdate("""
                                    INSERT INTO route_weights (route, weights, chains, version, changed_at, changed_by)
                                    VALUES (:route, :weights, :chains, 1, :at, :by)""")
                            .bind("route", route).bind("weights", encoded).bind("chains", chainText).bind("at", Timestamp.from(at)).bind("by", by).execute();
                    return java.util.Optional.of(read(h, route));
                });
            } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
                if (!(e.getCause() instanceof SQLException sql) || !"23505".equals(sql.getSQLState())) throw e;
                return java.util.Optional.<Change>empty(); // another replica stored the route's first change meanwhile
            }
        });
    }

    @Override
    public CompletionStage<List<Change>> all() {
        return executor.run(() -> jdbi.withHandle(h -> h.createQuery("SELECT route, weights, chains, version, changed_at, changed_by FROM route_weights ORDER BY route")
                .map((rs, ctx) -> change(rs)).list()));
    }

    private static Change read(Handle h, String route) {
        return h.createQuery("SELECT route, weights, chains, version, changed_at, changed_by FROM route_weights WHERE route = :route")
                .bind("route", route).map((rs, ctx) -> change(rs)).one();
    }

    private static Change change(ResultSet rs) throws SQLException {
        return new Change(rs.getString("route"), decode(rs.getString("weights")), decodeChains(rs.getString("chains")), rs.getLong("version"),
                rs.getTimestamp("changed_at").toInstant(), rs.getString("changed_by"));
    }

    /** {@code name=weight} lines: deployment names are configuration keys, with no line breaks or {@code =} in them. */
    static String encode(Map<String, Integer> weights) {
        StringBuilder text = new StringBuilder();
        weights.forEach((name, weight) -> {
            if (name.indexOf('\n') >= 0 || name.indexOf('=') >= 0) throw new IllegalArgumentException("a deployment name may not hold '=' or a line break");
            text.append(name).append('=').append(weight).append('\n');
        });
        return text.toString();
    }

    static Map<String, Integer> decode(String text) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.lastIndexOf('=');
            if (eq > 0) weights.put(line.substring(0, eq), Integer.parseInt(line.substring(eq + 1)));
        }
        return weights;
    }

    /**
     * A line per link, {@code deployment TAB model TAB capability}, in chain order; null for none. Deployment and model
     * names are configuration keys, with no tab or line break in them.
     */
    static String encodeChains(Map<String, List<ChainLink>> chains) {
        if (chains.isEmpty()) return null;
        StringBuilder text = new StringBuilder();
        chains.forEach((deployment, chain) -> chain.forEach(link -> {
            if (deployment.matches("(?s).*[\\t\\n].*") || link.model().matches("(?s).*[\\t\\n].*")) {
                throw new IllegalArgumentException("a deployment or model name may not hold a tab or a line break");
            }
            text.append(deployment).append('\t').append(link.model()).append('\t').append(link.capability().label()).append('\n');
        }));
        return text.toString();
    }

    static Map<String, List<ChainLink>> decodeChains(String text) {
        Map<String, List<ChainLink>> chains = new LinkedHashMap<>();
        if (text == null) return chains;
        for (String line : text.split("\n")) {
            String[] parts = line.split("\t");
            if (parts.length == 3) chains.computeIfAbsent(parts[0], d -> new java.util.ArrayList<>()).add(new ChainLink(parts[1], Complexity.parse(parts[2])));
        }
        return chains;
    }
}
