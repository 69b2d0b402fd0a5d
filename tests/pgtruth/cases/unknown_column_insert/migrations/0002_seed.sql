INSERT INTO users (email, nickname) VALUES ('a@example.com', 'a');
