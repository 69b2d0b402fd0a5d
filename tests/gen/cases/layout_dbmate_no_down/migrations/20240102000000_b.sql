-- migrate:up
CREATE TABLE b (id int);

-- migrate:down
