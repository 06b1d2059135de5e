-- How long the response cache keeps a key's answers, in seconds: 0 keeps its calls out of the cache; NULL leaves it
-- to the gateway's setting.
ALTER TABLE api_keys ADD COLUMN response_cache_ttl_seconds BIGINT;
