-- Batches submitted through the Batch API (/v1/batches), read by owner; unfinished ones are taken up by a runner,
-- which holds one by a lease (leased_by, leased_until) so that one replica at a time works on it.
CREATE TABLE batches (
    id                 VARCHAR(40)    NOT NULL PRIMARY KEY,
    owner              VARCHAR(128)   NOT NULL,
    api_key_id         VARCHAR(64),
    input_file_id      VARCHAR(64)    NOT NULL,
    endpoint           VARCHAR(64)    NOT NULL,
    completion_window  VARCHAR(16)    NOT NULL,
    metadata           TEXT,
    status             VARCHAR(16)    NOT NULL,
    times              VARCHAR(1000),
    created_at         TIMESTAMP      NOT NULL,
    expires_at         TIMESTAMP      NOT NULL,
    total              INT            NOT NULL,
    completed          INT            NOT NULL,
    failed             INT            NOT NULL,
    output_file_id     VARCHAR(40),
    error_file_id      VARCHAR(40),
    upstream_provider  VARCHAR(128),
    upstream_id        VARCHAR(256),
    reserved           NUMERIC(20, 9) NOT NULL,
    failure            TEXT,
    leased_by          VARCHAR(64),
    leased_until       TIMESTAMP
);
CREATE INDEX batches_by_owner ON batches (owner, created_at, id);
CREATE INDEX batches_unfinished ON batches (status);

-- What each request of a batch came to: its line of the output or error file, as written.
CREATE TABLE batch_results (
    batch_id   VARCHAR(40)  NOT NULL,
    line       INT          NOT NULL,
    custom_id  VARCHAR(512) NOT NULL,
    ok         BOOLEAN      NOT NULL,
    body       TEXT         NOT NULL,
    PRIMARY KEY (batch_id, line)
);
