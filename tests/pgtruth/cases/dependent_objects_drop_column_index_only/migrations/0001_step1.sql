CREATE TABLE account (id bigint PRIMARY KEY, email text, name text, CHECK (name <> email));
CREATE INDEX account_name_email ON account (name, email);
CREATE UNIQUE INDEX account_lower_name ON account (lower(name)) WHERE email IS NOT NULL;
