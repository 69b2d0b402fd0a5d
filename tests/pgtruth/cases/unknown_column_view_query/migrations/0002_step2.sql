CREATE VIEW account_mail AS SELECT a.id, a.mail FROM account a;
