package io.sluice.domain.routing;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Picks a route's deployment by weight: by a hash of the request's {@code user}, so that one user always lands on
 * the same deployment while the weights stay, and at random when there is no user.
 */
public final class CanarySplit {
    private CanarySplit() {}

    /** @param random in [0, 1), used only when {@code user} is null or blank */
    public static Deployment pick(List<Deployment> deployments, String user, double random) {
        long total = 0;
        for (Deployment d : deployments) total += d.weight();
        long point = user == null || user.isBlank() ? (long) (random * total) : Long.remainderUnsigned(hash(user), total);
        for (Deployment d : deployments) {
            point -= d.weight();
            if (point < 0) return d;
        }
        return deployments.getLast();
    }

    static void requirePositiveTotal(String route, List<Deployment> deployments) {
        long total = 0;
        for (Deployment d : deployments) total += d.weight();
        if (total <= 0) throw new IllegalArgumentException("route '" + route + "' needs at least one deployment with a positive weight");
    }

    /** FNV-1a over the UTF-8 bytes, then MurmurHash3's finalizer: stable across runs and JVMs, and well spread. */
    static long hash(String user) {
        long h = 0xcbf29ce484222325L;
        for (byte b : user.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
