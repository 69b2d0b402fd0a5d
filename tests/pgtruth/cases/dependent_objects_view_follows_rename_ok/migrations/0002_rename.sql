ALTER TABLE accounts RENAME COLUMN email TO email_address;
ALTER TABLE accounts DROP COLUMN nick;
CREATE OR REPLACE VIEW account_emails AS SELECT a.id, a.email_address AS email, 1 AS flag FROM accounts AS a;
UPDATE accounts AS a SET email_address = lower(a.email_address) FROM account_emails AS v WHERE v.id = a.id AND v.flag = 1;
