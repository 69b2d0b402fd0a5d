CREATE TABLE accounts (id bigint PRIMARY KEY, email text, nick text);
CREATE VIEW account_emails AS SELECT a.id, a.email FROM accounts AS a;
