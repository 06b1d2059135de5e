-- Every turn rewrites its conversation's row (its counters and updated_at). While updated_at was part of an index,
-- PostgreSQL could not make that a HOT update: each turn wrote a new entry into every index of the table. The idle
-- sweep now finds conversations by the UTC day they were last active (active_on, computed from updated_at, so it is
-- never out of step with it, and it changes at most once a day); the owner/user index on updated_at was covered by
-- conversations_by_owner_user_created and is dropped. Free space is left in each page for the updated rows.
-- The H2 twin of this migration is db/migration/h2/V28 (no STORED keyword, no fillfactor).
DROP INDEX conversations_by_updated;
DROP INDEX conversations_by_owner_user;
ALTER TABLE conversations SET (fillfactor = 80);
ALTER TABLE conversations ADD COLUMN active_on DATE GENERATED ALWAYS AS (CAST(updated_at AT TIME ZONE 'UTC' AS DATE)) STORED;
CREATE INDEX conversations_by_active_on ON conversations (active_on);
