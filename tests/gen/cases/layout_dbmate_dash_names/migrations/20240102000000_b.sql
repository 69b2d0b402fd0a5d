-- migrate:up
CREATE TABLE b (id int);

-- migrate:down
DROP TABLE b;
