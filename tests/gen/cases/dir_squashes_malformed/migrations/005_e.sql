-- migc:squashes 1 .. 2
CREATE TABLE e (id int);
