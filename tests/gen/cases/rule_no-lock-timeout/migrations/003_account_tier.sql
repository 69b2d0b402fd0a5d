-- migc:lock-timeout 5s
-- Near-miss: the directive sets lock_timeout for this migration.
ALTER TABLE account ADD COLUMN tier text;
