CREATE VIEW user_ids AS SELECT id::uint8 AS id FROM users;
