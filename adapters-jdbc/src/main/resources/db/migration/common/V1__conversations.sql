-- Conversations and their messages, in SQL that PostgreSQL and H2 both run. Metadata and tool calls are JSON text.
CREATE TABLE conversations (
    id          VARCHAR(64)  PRIMARY KEY,
    owner       VARCHAR(200) NOT NULL,
    end_user    VARCHAR(256),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    metadata    TEXT         NOT NULL DEFAULT '{}',
    active      BOOLEAN      NOT NULL DEFAULT TRUE,
    -- The highest seq handed out; appends lock this row, so seqs are never shared.
    last_seq    BIGINT       NOT NULL DEFAULT 0
);

-- Listing a tenant's (and an end user's) conversations, newest first.
CREATE INDEX conversations_by_owner_user ON conversations (owner, end_user, updated_at DESC);

CREATE TABLE messages (
    conversation_id VARCHAR(64)  NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    seq             BIGINT       NOT NULL,
    role            VARCHAR(16)  NOT NULL,
    content         TEXT,
    name            VARCHAR(256),
    tool_calls      TEXT,
    tool_call_id    VARCHAR(256),
    token_count     INTEGER      NOT NULL,
    model           VARCHAR(256),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    metadata        TEXT         NOT NULL DEFAULT '{}',
    -- The window query (WHERE conversation_id = ? AND seq > ? ORDER BY seq) reads this index only.
    PRIMARY KEY (conversation_id, seq)
);
