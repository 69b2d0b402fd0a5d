CREATE TABLE profiles (user_id bigint, display text);
ALTER TABLE users ADD COLUMN display text;
UPDATE users u SET display = p.display FROM profiles p WHERE p.user_id = u.id;
