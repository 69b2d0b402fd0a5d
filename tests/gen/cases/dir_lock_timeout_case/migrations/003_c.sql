-- Migc:lock-timeout 5S
CREATE TABLE c (id int);
