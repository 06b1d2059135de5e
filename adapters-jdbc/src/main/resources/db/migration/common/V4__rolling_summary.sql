-- A conversation's rolling summary: its text, its size as a message, and the last seq it covers (0: none).
ALTER TABLE conversations ADD COLUMN summary TEXT;
ALTER TABLE conversations ADD COLUMN summary_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN summary_through_seq BIGINT NOT NULL DEFAULT 0;
