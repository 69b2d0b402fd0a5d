-- migc:SQUASHES 1..2
CREATE TABLE c (id int);
