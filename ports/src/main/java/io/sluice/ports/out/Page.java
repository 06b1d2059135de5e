package io.sluice.ports.out;

import java.util.List;

/** One page of a listing, and whether more follow it. */
public record Page<T>(List<T> items, boolean hasMore) {
    public Page {
        items = List.copyOf(items);
    }
}
