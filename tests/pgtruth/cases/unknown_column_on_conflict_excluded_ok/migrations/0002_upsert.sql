CREATE UNIQUE INDEX users_email_key ON users (email);
INSERT INTO users (email, name) VALUES ('a@example.com', 'A')
    ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name;
