-- migc:lock-timeout 5s
DROP TABLE a;
