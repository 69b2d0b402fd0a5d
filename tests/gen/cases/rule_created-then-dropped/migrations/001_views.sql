CREATE TABLE account (id bigint PRIMARY KEY, email text NOT NULL);
CREATE VIEW account_emails AS SELECT email FROM account;
CREATE TYPE account_state AS ENUM ('new', 'active');
