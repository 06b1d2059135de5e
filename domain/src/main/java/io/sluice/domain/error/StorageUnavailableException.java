package io.sluice.domain.error;

import java.time.Duration;

/**
 * The gateway's database cannot be reached: a call that needs it (to store a turn, to bill, to check a budget) is
 * refused before it goes upstream, quickly, and may be tried again shortly.
 */
public class StorageUnavailableException extends RetriableException {
    public static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    public StorageUnavailableException(Throwable cause) {
        super("The gateway's storage is unavailable; please try again shortly", RETRY_AFTER, cause);
    }

    @Override
    public String code() {
        return "storage_unavailable";
    }
}
