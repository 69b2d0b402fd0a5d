ALTER TABLE account ADD COLUMN plan text;
UPDATE account SET plan = 'free';
ALTER TABLE account ALTER COLUMN plan SET NOT NULL;
