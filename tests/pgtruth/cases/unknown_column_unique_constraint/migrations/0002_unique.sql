ALTER TABLE users ADD CONSTRAINT users_mail_key UNIQUE (mail);
