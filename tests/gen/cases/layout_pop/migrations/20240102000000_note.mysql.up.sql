ALTER TABLE accounts ADD note TEXT;
