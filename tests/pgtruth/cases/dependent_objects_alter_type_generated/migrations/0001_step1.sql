CREATE TABLE account (id bigint PRIMARY KEY, email text, email_lower text GENERATED ALWAYS AS (lower(email)) STORED);
