-- A key's cap on one call's prompt, in tokens; 0 for none.
ALTER TABLE api_keys ADD COLUMN max_prompt_tokens BIGINT DEFAULT 0 NOT NULL;
