-- migc:squashes 1..x2
CREATE TABLE d (id int);
