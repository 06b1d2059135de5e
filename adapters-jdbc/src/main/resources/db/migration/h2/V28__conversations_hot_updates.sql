-- The H2 twin of db/migration/postgresql/V28 (which says why): the idle sweep's index on the UTC day a conversation
-- was last active, not on updated_at.
DROP INDEX conversations_by_updated;
DROP INDEX conversations_by_owner_user;
ALTER TABLE conversations ADD COLUMN active_on DATE GENERATED ALWAYS AS (CAST(updated_at AT TIME ZONE 'UTC' AS DATE));
CREATE INDEX conversations_by_active_on ON conversations (active_on);
