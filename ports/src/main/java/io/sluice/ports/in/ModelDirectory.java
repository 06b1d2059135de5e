package io.sluice.ports.in;

import io.sluice.domain.ModelSpec;
import java.util.List;

/** The models the gateway serves by name, for {@code GET /v1/models}. Thread-safe. */
public interface ModelDirectory {
    List<ModelSpec> models();
}
