CREATE VIEW account_mail AS SELECT id, mail FROM account JOIN account_names USING (id);
