-- migc:allow column-type-change the table is small
-- Fires [dependent-objects]: the generated column email_lower uses email.
ALTER TABLE account ALTER COLUMN email TYPE varchar(320);
