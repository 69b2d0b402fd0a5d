INSERT INTO plans (code) VALUES ('free');
