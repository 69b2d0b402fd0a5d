-- migc:statement-timeout 0x10
CREATE TABLE m5 (id int);
