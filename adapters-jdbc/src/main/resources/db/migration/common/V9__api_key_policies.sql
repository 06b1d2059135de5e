-- Each gateway API key's own defaults, rate limits (0: none) and budgets (NULL: none), in exact dollars.
ALTER TABLE api_keys ADD COLUMN default_route VARCHAR(200);
ALTER TABLE api_keys ADD COLUMN default_strategy VARCHAR(64);
ALTER TABLE api_keys ADD COLUMN default_tier VARCHAR(200);
ALTER TABLE api_keys ADD COLUMN rpm BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE api_keys ADD COLUMN tpm BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE api_keys ADD COLUMN budget_day_usd NUMERIC(20, 9);
ALTER TABLE api_keys ADD COLUMN budget_month_usd NUMERIC(20, 9);
ALTER TABLE api_keys ADD COLUMN budget_total_usd NUMERIC(20, 9);
