CREATE TABLE b (id int);
-- anywhere in the up script, indented or not
    --migc:lock-timeout 0
