-- Which of its owner's gateway API keys made each billed call (NULL on an open gateway).
ALTER TABLE usage_ledger ADD COLUMN api_key_id VARCHAR(64);
