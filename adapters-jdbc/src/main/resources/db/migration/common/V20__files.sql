-- Files uploaded through the Files API (/v1/files): Batch API inputs, and the outputs batches write. Read by owner.
CREATE TABLE files (
    id          VARCHAR(40)  NOT NULL PRIMARY KEY,
    owner       VARCHAR(128) NOT NULL,
    purpose     VARCHAR(32)  NOT NULL,
    filename    VARCHAR(255) NOT NULL,
    bytes       BIGINT       NOT NULL,
    content     BYTEA        NOT NULL,
    created_at  TIMESTAMP    NOT NULL
);
CREATE INDEX files_by_owner ON files (owner, created_at, id);
