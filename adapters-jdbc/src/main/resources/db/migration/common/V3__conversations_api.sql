-- A conversation's own default context strategy (NULL: the gateway's default applies), and listing an owner's
-- conversations newest first, with or without an end user, page by page.
ALTER TABLE conversations ADD COLUMN context_strategy VARCHAR(64);
CREATE INDEX conversations_by_owner_created ON conversations (owner, created_at DESC, id DESC);
CREATE INDEX conversations_by_owner_user_created ON conversations (owner, end_user, created_at DESC, id DESC);
