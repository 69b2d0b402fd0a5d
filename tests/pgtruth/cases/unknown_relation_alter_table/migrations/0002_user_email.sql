ALTER TABLE usres ADD COLUMN verified boolean;
