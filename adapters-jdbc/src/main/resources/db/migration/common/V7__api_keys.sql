-- The gateway's own API keys: the SHA-256 of each secret, never the secret.
CREATE TABLE api_keys (
    id          VARCHAR(64)  NOT NULL PRIMARY KEY,
    secret_hash VARCHAR(64)  NOT NULL UNIQUE,
    owner       VARCHAR(128) NOT NULL,
    name        VARCHAR(200),
    created_at  TIMESTAMP    NOT NULL,
    revoked_at  TIMESTAMP
);
