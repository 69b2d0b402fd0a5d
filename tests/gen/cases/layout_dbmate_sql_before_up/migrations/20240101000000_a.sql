-- create the table first
CREATE TABLE a (id int);

-- migrate:up
INSERT INTO a VALUES (1);

-- migrate:down
DELETE FROM a;
