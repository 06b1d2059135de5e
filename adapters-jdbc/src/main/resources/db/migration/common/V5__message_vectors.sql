-- Vectors of messages for semantic recall, one per message and embedder, so each message is embedded only once.
CREATE TABLE message_vectors (
    conversation_id VARCHAR(64)  NOT NULL,
    embedder        VARCHAR(128) NOT NULL,
    seq             BIGINT       NOT NULL,
    vector          BYTEA        NOT NULL,
    PRIMARY KEY (conversation_id, embedder, seq),
    FOREIGN KEY (conversation_id, seq) REFERENCES messages (conversation_id, seq) ON DELETE CASCADE
);
