-- migc:statement-timeout 2147483647500us
CREATE TABLE m7 (id int);
