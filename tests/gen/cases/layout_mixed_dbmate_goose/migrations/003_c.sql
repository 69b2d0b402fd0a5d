-- migrate:up
CREATE TABLE c (id int);

-- migrate:down
