-- migc:statement-timeout 10min -- why
CREATE TABLE m8 (id int);
