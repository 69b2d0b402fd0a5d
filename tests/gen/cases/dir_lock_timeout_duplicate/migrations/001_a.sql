-- migc:lock-timeout 5s
CREATE TABLE a (id int);
-- migc:lock-timeout 10s
CREATE TABLE b (id int);
-- migc:lock-timeout 5s
