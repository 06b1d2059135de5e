-- Erasing a conversation blanks its ledger entries' references: found by this index, not by a scan of the ledger.
CREATE INDEX usage_by_conversation ON usage_ledger (conversation_id);
-- Retention purges the conversations idle the longest first.
CREATE INDEX conversations_by_updated ON conversations (updated_at);
