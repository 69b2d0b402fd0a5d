CREATE DOMAIN email_address AS text CHECK (VALUE LIKE '%@%');
ALTER TABLE users ADD COLUMN backup_email email_address;
