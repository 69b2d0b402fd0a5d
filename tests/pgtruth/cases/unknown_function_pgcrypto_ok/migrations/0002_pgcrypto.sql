CREATE EXTENSION pgcrypto;
ALTER TABLE users ADD COLUMN secret text DEFAULT encode(digest('x', 'sha256'), 'hex');
UPDATE users SET secret = crypt('pw', gen_salt('bf'));
