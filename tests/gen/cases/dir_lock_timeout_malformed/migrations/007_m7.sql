-- migc:lock-timeout 
CREATE TABLE m7 (id int);
