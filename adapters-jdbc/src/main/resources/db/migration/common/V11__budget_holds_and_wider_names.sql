-- Each call's budget reservation, one row per counter, with an expiry (epoch milliseconds), so that a reservation its
-- call never settles (the process died) is released, or settled from the ledger, by a sweep. swept_billed is NULL
-- while the hold is live, and what the sweep counted once it expired.
CREATE TABLE budget_holds (
    hold_id      VARCHAR(64)    NOT NULL,
    counter      VARCHAR(300)   NOT NULL,
    amount       NUMERIC(20, 9) NOT NULL,
    expires_at   BIGINT         NOT NULL,
    swept_billed NUMERIC(20, 9),
    PRIMARY KEY (hold_id, counter)
);
CREATE INDEX budget_holds_by_expiry ON budget_holds (expires_at);

-- Model, endpoint and route names as long as a request may carry (a passthrough model of up to 256 characters).
ALTER TABLE usage_ledger ALTER COLUMN model SET DATA TYPE VARCHAR(256);
ALTER TABLE usage_ledger ALTER COLUMN endpoint SET DATA TYPE VARCHAR(256);
ALTER TABLE usage_ledger ALTER COLUMN route SET DATA TYPE VARCHAR(256);
