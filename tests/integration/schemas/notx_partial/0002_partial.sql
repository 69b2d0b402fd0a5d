-- migc:no-transaction
INSERT INTO accounts (id, name) VALUES (1, 'first');
UPDATE accounts
   SET name = missing_column;
INSERT INTO accounts (id, name) VALUES (3, 'never');
