-- What reading only a context window needs, without scanning a conversation's history:
--   messages.tokens_before        tokens of all earlier messages of the conversation (a running total), so that
--                                 "the newest messages worth N tokens" is a range of one index;
--   conversations.total_tokens    tokens of all its messages;
--   conversations.system_seq_end  seq of the last message of the leading system prompt (0 when there is none).
ALTER TABLE messages ADD COLUMN tokens_before BIGINT NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN total_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN system_seq_end BIGINT NOT NULL DEFAULT 0;

UPDATE messages SET tokens_before = (
    SELECT COALESCE(SUM(p.token_count), 0) FROM messages p
    WHERE p.conversation_id = messages.conversation_id AND p.seq < messages.seq);
UPDATE conversations SET total_tokens = (
    SELECT COALESCE(SUM(m.token_count), 0) FROM messages m WHERE m.conversation_id = conversations.id);
UPDATE conversations SET system_seq_end = COALESCE(
    (SELECT MIN(m.seq) - 1 FROM messages m WHERE m.conversation_id = conversations.id AND m.role <> 'system'),
    last_seq);

CREATE INDEX messages_by_tokens_before ON messages (conversation_id, tokens_before);
