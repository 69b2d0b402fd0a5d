-- migrate:up
-- migc:lock-timeout 5s
CREATE TABLE a (id int);

-- migrate:down
-- migc:lock-timeout 1s
DROP TABLE a;
