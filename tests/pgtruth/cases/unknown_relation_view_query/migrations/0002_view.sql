CREATE VIEW active_users AS SELECT u.id FROM users u JOIN sessions s ON s.user_id = u.id;
