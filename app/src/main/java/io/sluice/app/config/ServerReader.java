package io.sluice.app.config;

import static io.sluice.app.config.ConfigProblem.check;

import io.sluice.http.server.ServerSettings;
import java.util.Optional;

/** {@code sluice.server} and {@code sluice.auth}: where the gateway listens, and who is admin. */
final class ServerReader {
    /** An admin key shorter than this could be guessed. */
    static final int MIN_ADMIN_KEY_LENGTH = 16;

    private ServerReader() {}

    static ServerSettings read(SluiceConfig c) {
        Optional<String> adminKey = c.auth().adminKey().map(String::strip).filter(k -> !k.isEmpty());
        adminKey.ifPresent(k -> {
            if (k.length() < MIN_ADMIN_KEY_LENGTH) {
                throw new ConfigProblem("sluice.auth.admin-key", "must be at least " + MIN_ADMIN_KEY_LENGTH + " characters long");
            }
        });
        return check("sluice.server", () -> new ServerSettings(c.server().host(), c.server().port(), c.server().maxBodyBytes(),
                adminKey.map(io.sluice.domain.keys.KeySecrets::hash), c.auth().keyCacheTtl(), c.server().maxEventLoopLag(),
                c.server().idleTimeout(), c.server().requestReadTimeout()));
    }
}
