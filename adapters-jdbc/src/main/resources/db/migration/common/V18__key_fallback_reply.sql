-- A key's own fallback reply (JSON: {"texts": {"default": "...", "vi": "..."}, "on": ["budget", ...]}), answered when
-- its calls cannot be, ahead of its route's; and the language its calls' fallback replies are chosen in when their
-- conversation names none. NULL for none.
ALTER TABLE api_keys ADD COLUMN fallback_reply TEXT;
ALTER TABLE api_keys ADD COLUMN locale VARCHAR(35);
