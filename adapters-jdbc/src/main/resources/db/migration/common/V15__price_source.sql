-- Where the prices a bill was reckoned at came from: "config", "catalog <date>" (the model catalog shipped with the
-- gateway), or "none" (a model nobody priced, billed nothing). Null for bills written before it was recorded.
ALTER TABLE usage_ledger ADD COLUMN price_source VARCHAR(64);
