WITH fresh AS (SELECT 'a@example.com' AS email)
INSERT INTO users (email) SELECT email FROM fresh;
