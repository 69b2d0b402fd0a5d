-- migc:no-transaction
INSERT INTO accounts (id, name) VALUES (1, 'first');
-- migc:allow unknown-column the runtime test needs a statement the server refuses halfway
UPDATE accounts
   SET name = missing_column;
INSERT INTO accounts (id, name) VALUES (3, 'never');
