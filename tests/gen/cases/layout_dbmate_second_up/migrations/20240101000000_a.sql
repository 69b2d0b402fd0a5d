-- migrate:up
CREATE TABLE a (id int);

-- migrate:up
CREATE TABLE b (id int);

-- migrate:down
DROP TABLE b;
DROP TABLE a;
