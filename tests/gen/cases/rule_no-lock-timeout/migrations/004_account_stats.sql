-- Near-misses: SET STATISTICS takes SHARE UPDATE EXCLUSIVE; a SET LOCAL
-- lock_timeout before the ALTER limits its wait.
ALTER TABLE account ALTER COLUMN email SET STATISTICS 500;
SET LOCAL lock_timeout = '5s';
ALTER TABLE account ADD COLUMN note text;
