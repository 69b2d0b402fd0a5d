-- migc:squashes 2..1
CREATE TABLE c (id int);
