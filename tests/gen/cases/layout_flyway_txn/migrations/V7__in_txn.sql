CREATE TABLE e (id int);
CREATE INDEX e_id ON e (id);
