package io.sluice.engine.sla;

import io.sluice.domain.error.EndpointNotFoundException;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.engine.secrets.KeySealer;
import io.sluice.ports.in.UpstreamKeyAdmin;
import io.sluice.ports.out.LlmProvider;
import io.sluice.ports.out.UpstreamKeyStore;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream keys added at runtime: sealed ({@link KeySealer}) and stored, then used by every replica from its next
 * {@link #refresh()} beside the endpoint's configured keys; a key removed from the store is taken out of use, and its
 * provider closed. Without a secrets key, none can be added, and stored ones are left unused (said once in the log).
 * A stored key this replica's secrets key does not open is left unused too. Thread-safe.
 */
public final class RuntimeKeys implements UpstreamKeyAdmin, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RuntimeKeys.class.getName());
    /** Longer than any provider's key; a key is sent as a header, so only visible ASCII. */
    public static final int MAX_KEY_CHARS = 1024;

    /** Makes the provider one key of an endpoint talks through: the endpoint's configured provider, with this key. */
    @FunctionalInterface
    public interface ProviderMaker {
        LlmProvider make(String endpoint, String label, String apiKey);
    }

    private final Map<String, Endpoint> endpoints;
    private final UpstreamKeyStore store;
    private final Optional<KeySealer> sealer;
    private final ProviderMaker maker;
    private final Clock clock;
    private final io.sluice.ports.out.ChangeNotices notices;
    /** A key in use here, and its endpoint. */
    private record InUse(Endpoint endpoint, UpstreamKey key) {}

    /** The keys in use here, by endpoint and label. */
    private final Map<String, InUse> inUse = new ConcurrentHashMap<>();
    private final Set<String> unopened = ConcurrentHashMap.newKeySet();

    /** @param notices told of each key stored, removed or enabled here, so that the other replicas read it at once */
    public RuntimeKeys(Map<String, Endpoint> endpoints, UpstreamKeyStore store, Optional<KeySealer> sealer, ProviderMaker maker, Clock clock,
                       io.sluice.ports.out.ChangeNotices notices) {
        this.endpoints = endpoints;
        this.store = store;
        this.sealer = sealer;
        this.maker = maker;
        this.clock = clock;
        this.notices = notices;
    }

    private CompletionStage<Void> announced(Object stored) {
        notices.announce(io.sluice.ports.out.ChangeNotices.UPSTREAM_KEYS);
        return refresh();
    }

    @Override
    public CompletionStage<AddedKey> add(String endpoint, String apiKey, int rpm, long tpm) {
        try {
            if (!endpoints.containsKey(endpoint)) throw new EndpointNotFoundException(endpoint);
            check(apiKey);
            if (rpm < 0 || tpm < 0) throw new InvalidRequestException("'rpm' and 'tpm' must be 0 (no limit) or more", rpm < 0 ? "rpm" : "tpm");
            KeySealer seal = sealer.orElseThrow(() -> new InvalidRequestException("Upstream keys can be added at runtime only when the gateway has a "
                    + "secrets key to seal them with: set SLUICE_SECRETS_KEY (32 random bytes, base64)", null, "secrets_key_missing"));
            byte[] id = new byte[8];
            RANDOM.nextBytes(id);
            String label = endpoint + "-rt-" + java.util.HexFormat.of().formatHex(id);
            var key = new UpstreamKeyStore.StoredKey(endpoint, label, seal.seal(apiKey, row(endpoint, label)), rpm, tpm, clock.instant());
            return store.save(key).thenCompose(this::announced).thenApply(done -> new AddedKey(endpoint, label, rpm, tpm, key.createdAt()));
        } catch (RuntimeException refused) {
            return CompletableFuture.failedFuture(refused);
        }
    }

    private static void check(String apiKey) {
        if (apiKey == null || apiKey.isBlank()) throw new InvalidRequestException("'api_key' must be a non-empty string", "api_key");
        if (apiKey.length() > MAX_KEY_CHARS) throw new InvalidRequestException("'api_key' must be at most " + MAX_KEY_CHARS + " characters", "api_key");
        for (int i = 0; i < apiKey.length(); i++) {
            char c = apiKey.charAt(i);
            if (c < 0x21 || c > 0x7e) throw new InvalidRequestException("'api_key' may hold only visible ASCII characters", "api_key");
        }
    }

    @Override
    public CompletionStage<Boolean> remove(String endpoint, String label) {
        if (!endpoints.containsKey(endpoint)) return CompletableFuture.failedFuture(new EndpointNotFoundException(endpoint));
        return store.delete(endpoint, label).thenCompose(deleted -> (deleted ? announced(null) : refresh()).thenApply(done -> deleted));
    }

    @Override
    public CompletionStage<Boolean> enable(String endpoint, String label) {
        Endpoint e = endpoints.get(endpoint);
        if (e == null) return CompletableFuture.failedFuture(new EndpointNotFoundException(endpoint));
        Optional<UpstreamKey> key = e.keys().stream().filter(k -> k.label().equals(label)).findFirst();
        if (key.isEmpty()) return CompletableFuture.completedFuture(false);
        // enabled here once stored: a store that is down fails the call and enables nothing anywhere
        return store.enable(endpoint, label).thenApply(stored -> {
            key.get().enable();
            return stored;
        }).thenCompose(this::announced).thenApply(done -> true);
    }

    /**
     * Puts into use the stored keys not in use here, and takes out of use those no longer stored. Refreshes run one
     * after another, each reading the store after the one before applied: an older read never undoes a newer.
     */
    public CompletionStage<Void> refresh() {
        CompletableFuture<Void> next = new CompletableFuture<>();
        CompletableFuture<Void> previous;
        synchronized (this) {
            previous = last;
            last = next;
        }
        previous.handle((ok, error) -> null).thenCompose(ignored -> store.all()).thenAccept(this::apply)
                .thenCompose(applied -> store.enabled()).thenAccept(this::enable)
                .whenComplete((ok, error) -> {
                    if (error != null) next.completeExceptionally(error);
                    else next.complete(null);
                });
        return next;
    }

    /** The refresh under way or last done. */
    private CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
    /** Longer than any call's deadline: a removed key's client outlives the calls that took it. */
    static final java.time.Duration CLOSE_AFTER = java.time.Duration.ofMinutes(10);
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private synchronized void apply(List<UpstreamKeyStore.StoredKey> stored) {
        Set<String> present = new HashSet<>();
        for (UpstreamKeyStore.StoredKey key : stored) {
            String id = row(key.endpoint(), key.label());
            present.add(id);
            Endpoint endpoint = endpoints.get(key.endpoint());
            if (inUse.containsKey(id) || endpoint == null || unopened.contains(id)) continue;
            if (sealer.isEmpty()) {
                if (unopened.add(id)) LOG.log(System.Logger.Level.WARNING, "upstream key " + key.label() + " is stored but unused: set SLUICE_SECRETS_KEY to open it");
                continue;
            }
            String apiKey;
            try {
                apiKey = sealer.get().open(key.sealed(), id);
            } catch (IllegalArgumentException e) {
                unopened.add(id);
                LOG.log(System.Logger.Level.WARNING, "upstream key " + key.label() + " is stored but unused: " + e.getMessage()
                        + " (is SLUICE_SECRETS_KEY the one it was added under?)");
                continue;
            }
            UpstreamKey added;
            try {
                added = new UpstreamKey(key.label(), maker.make(key.endpoint(), key.label(), apiKey), key.rpm(), key.tpm());
            } catch (RuntimeException e) { // one key that cannot be made stops neither the others nor the removals
                unopened.add(id);
                LOG.log(System.Logger.Level.WARNING, "upstream key " + key.label() + " is stored but unused: " + io.sluice.domain.error.Failures.describe(e));
                continue;
            }
            endpoint.addKey(added);
            inUse.put(id, new InUse(endpoint, added));
            LOG.log(System.Logger.Level.INFO, "upstream key " + key.label() + " in use");
        }
        for (String id : List.copyOf(inUse.keySet())) {
            if (present.contains(id)) continue;
            InUse gone = inUse.remove(id);
            // its client is closed once the calls that took it before its removal are surely over, not under them
            if (gone.endpoint().removeKey(gone.key().label()) != null) io.sluice.engine.internal.TimeoutScheduler.later(CLOSE_AFTER, gone.key().provider()::close);
            LOG.log(System.Logger.Level.INFO, "upstream key " + gone.key().label() + " removed");
        }
    }

    /** How many enablings of each key this replica has seen; null until the first refresh, which enables nothing. */
    private Map<String, Long> enablesSeen;

    /** Enables the keys enabled again (on any replica) since the last refresh. */
    private synchronized void enable(List<UpstreamKeyStore.Enabled> counts) {
        boolean first = enablesSeen == null;
        if (first) enablesSeen = new java.util.HashMap<>();
        for (UpstreamKeyStore.Enabled count : counts) {
            Long seen = enablesSeen.put(row(count.endpoint(), count.label()), count.enables());
            if (first || seen != null && seen >= count.enables()) continue;
            Endpoint endpoint = endpoints.get(count.endpoint());
            if (endpoint == null) continue;
            endpoint.keys().stream().filter(k -> k.label().equals(count.label())).forEach(k -> {
                k.enable();
                LOG.log(System.Logger.Level.INFO, "upstream key " + k.label() + " enabled by an operator");
            });
        }
    }

    /** The associated data a key is sealed under: its endpoint and label. */
    private static String row(String endpoint, String label) {
        return endpoint + "/" + label;
    }

    @Override
    public void close() {
        inUse.values().forEach(k -> k.key().provider().close());
    }
}
