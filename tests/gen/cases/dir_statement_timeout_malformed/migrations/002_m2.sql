-- migc:statement-timeout 10mins
CREATE TABLE m2 (id int);
