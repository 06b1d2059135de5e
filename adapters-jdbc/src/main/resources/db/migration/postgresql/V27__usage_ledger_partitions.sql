-- The raw ledger partitioned by month (usage_ledger_pYYYYMM), so that raw rows past their retention are dropped a
-- month at a time instead of deleted a row at a time, and a time range reads only its months. Rows with no month of
-- their own (clock skew, a month not yet created) land in usage_ledger_default; the maintenance (LedgerPartitions)
-- creates months ahead and moves any such rows into the month it creates. A partitioned table's primary key must
-- hold the partition key, so an entry is (request_id, attempt, created_at): an entry carries the time it was made
-- wherever it is written again.
ALTER TABLE usage_ledger RENAME TO usage_ledger_unpartitioned;

CREATE TABLE usage_ledger (
    request_id         VARCHAR(64)    NOT NULL,
    attempt            INT            NOT NULL,
    owner              VARCHAR(128)   NOT NULL,
    end_user           VARCHAR(256),
    conversation_id    VARCHAR(64),
    route              VARCHAR(256),
    model              VARCHAR(256)   NOT NULL,
    endpoint           VARCHAR(256)   NOT NULL,
    input_tokens       INT            NOT NULL,
    output_tokens      INT            NOT NULL,
    cached_tokens      INT            NOT NULL,
    cache_write_tokens INT            NOT NULL,
    cost               NUMERIC(20, 9) NOT NULL,
    latency_ms         BIGINT         NOT NULL,
    outcome            VARCHAR(16)    NOT NULL,
    created_at         TIMESTAMP      NOT NULL,
    api_key_id         VARCHAR(64),
    price_source       VARCHAR(64),
    cache_saved        NUMERIC(20, 9),
    cache_similarity   NUMERIC(6, 5)
) PARTITION BY RANGE (created_at);

CREATE TABLE usage_ledger_default PARTITION OF usage_ledger DEFAULT;

DO $$
DECLARE
    first_month DATE := date_trunc('month', LEAST(COALESCE((SELECT MIN(created_at) FROM usage_ledger_unpartitioned), LOCALTIMESTAMP), LOCALTIMESTAMP));
    month DATE := first_month;
BEGIN
    WHILE month <= date_trunc('month', LOCALTIMESTAMP) + INTERVAL '2 months' LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF usage_ledger FOR VALUES FROM (%L) TO (%L)',
                       'usage_ledger_p' || to_char(month, 'YYYYMM'), month, (month + INTERVAL '1 month')::DATE);
        month := (month + INTERVAL '1 month')::DATE;
    END LOOP;
END $$;

INSERT INTO usage_ledger (request_id, attempt, owner, end_user, conversation_id, route, model, endpoint, input_tokens, output_tokens,
                          cached_tokens, cache_write_tokens, cost, latency_ms, outcome, created_at, api_key_id, price_source, cache_saved,
                          cache_similarity)
SELECT request_id, attempt, owner, end_user, conversation_id, route, model, endpoint, input_tokens, output_tokens, cached_tokens,
       cache_write_tokens, cost, latency_ms, outcome, created_at, api_key_id, price_source, cache_saved, cache_similarity
FROM usage_ledger_unpartitioned;

DROP TABLE usage_ledger_unpartitioned;

ALTER TABLE usage_ledger ADD PRIMARY KEY (request_id, attempt, created_at);
CREATE INDEX usage_by_owner_time ON usage_ledger (owner, created_at);
CREATE INDEX usage_by_time ON usage_ledger (created_at);
CREATE INDEX usage_by_conversation ON usage_ledger (conversation_id);
