-- migrate:up
CREATE TABLE a (id int);

-- migrate:down
DROP TABLE a;

-- migrate:down
DROP TABLE IF EXISTS a;
