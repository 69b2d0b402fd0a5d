-- migc:lock-timeout 1s
DROP TABLE b;
