-- One row per upstream attempt that consumed tokens; (request_id, attempt) makes writing it twice count once.
CREATE TABLE usage_ledger (
    request_id         VARCHAR(64)    NOT NULL,
    attempt            INT            NOT NULL,
    owner              VARCHAR(128)   NOT NULL,
    end_user           VARCHAR(256),
    conversation_id    VARCHAR(64),
    route              VARCHAR(128),
    model              VARCHAR(128)   NOT NULL,
    endpoint           VARCHAR(128)   NOT NULL,
    input_tokens       INT            NOT NULL,
    output_tokens      INT            NOT NULL,
    cached_tokens      INT            NOT NULL,
    cache_write_tokens INT            NOT NULL,
    cost               NUMERIC(20, 9) NOT NULL,
    latency_ms         BIGINT         NOT NULL,
    outcome            VARCHAR(16)    NOT NULL,
    created_at         TIMESTAMP      NOT NULL,
    PRIMARY KEY (request_id, attempt)
);

-- reports read one owner's entries over a time range
CREATE INDEX usage_by_owner_time ON usage_ledger (owner, created_at);
CREATE INDEX usage_by_time ON usage_ledger (created_at);
