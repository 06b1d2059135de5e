-- The lane of a key's calls where calls wait and when load is shed (high, normal, low), and whether a call may choose
-- its own lane with X-Sluice-Priority.
ALTER TABLE api_keys ADD COLUMN priority VARCHAR(8) DEFAULT 'normal' NOT NULL;
ALTER TABLE api_keys ADD COLUMN priority_header BOOLEAN DEFAULT FALSE NOT NULL;
