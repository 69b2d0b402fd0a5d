-- migc:lock-timeout '5s'
CREATE TABLE m9 (id int);
