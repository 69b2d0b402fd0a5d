ALTER TABLE accounts ADD COLUMN verified boolean;
