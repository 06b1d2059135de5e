-- A call answered from the response cache (outcome CACHE_HIT) costs nothing; it keeps what it saved (the cost of the
-- call that filled the cache) and how similar its question was (1 for an exact hit, the cosine for a semantic one),
-- so that operators can report savings and tune the semantic threshold. Null for every other call.
ALTER TABLE usage_ledger ADD COLUMN cache_saved NUMERIC(20, 9);
ALTER TABLE usage_ledger ADD COLUMN cache_similarity NUMERIC(6, 5);
