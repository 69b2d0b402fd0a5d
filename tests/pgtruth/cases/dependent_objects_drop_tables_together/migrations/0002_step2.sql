DROP VIEW account_names;
DROP TABLE invoice, account;
