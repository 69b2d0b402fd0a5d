-- migc:lock-timeout 5s please
CREATE TABLE m8 (id int);
