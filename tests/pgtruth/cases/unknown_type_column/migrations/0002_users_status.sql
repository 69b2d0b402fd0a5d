ALTER TABLE users ADD COLUMN status user_status;
