-- No down script: the migration's down is NULL.
ALTER TABLE events ADD COLUMN note text;
