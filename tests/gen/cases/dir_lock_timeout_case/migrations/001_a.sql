-- MIGC:Lock-Timeout 5s
CREATE TABLE a (id int);
