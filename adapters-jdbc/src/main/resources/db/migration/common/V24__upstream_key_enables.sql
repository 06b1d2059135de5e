-- Upstream keys an operator enabled again (after the upstream's 401 or 403 disabled them), configured or added at
-- runtime: each replica re-enables a key when its count passes the one it last saw, so one call to the admin API
-- reaches every replica.
CREATE TABLE upstream_key_enables (
    endpoint VARCHAR(200) NOT NULL,
    label    VARCHAR(200) NOT NULL,
    enables  BIGINT       NOT NULL,
    PRIMARY KEY (endpoint, label)
);
