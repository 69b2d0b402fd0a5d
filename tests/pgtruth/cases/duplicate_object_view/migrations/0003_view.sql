CREATE VIEW user_emails AS SELECT id, email, name FROM users;
