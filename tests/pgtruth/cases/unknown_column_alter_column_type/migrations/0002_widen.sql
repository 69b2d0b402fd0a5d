ALTER TABLE users ALTER COLUMN full_name TYPE text;
