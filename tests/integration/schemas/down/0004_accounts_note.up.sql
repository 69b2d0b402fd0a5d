-- No down script: down cannot go past it.
ALTER TABLE accounts ADD COLUMN note text;
