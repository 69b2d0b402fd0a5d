CREATE TABLE codes (id integer PRIMARY KEY, code text NOT NULL);
INSERT INTO codes VALUES (1, 'a'), (2, 'b'), (3, 'a');
