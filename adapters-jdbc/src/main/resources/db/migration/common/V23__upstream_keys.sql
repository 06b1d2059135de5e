-- Upstream API keys added at runtime, sealed with AES-GCM under the gateway's secrets key (SLUICE_SECRETS_KEY), which
-- the database never sees: a copy of this table opens nothing.
CREATE TABLE upstream_keys (
    endpoint    VARCHAR(200)  NOT NULL,
    label       VARCHAR(200)  NOT NULL,
    sealed      VARCHAR(2000) NOT NULL,
    rpm         INT           NOT NULL,
    tpm         BIGINT        NOT NULL,
    created_at  TIMESTAMP     NOT NULL,
    PRIMARY KEY (endpoint, label)
);
