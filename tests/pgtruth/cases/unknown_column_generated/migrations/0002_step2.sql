ALTER TABLE account ADD COLUMN email_lower text GENERATED ALWAYS AS (lower(mail)) STORED;
