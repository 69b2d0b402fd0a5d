-- migc:squashes 1..7
CREATE TABLE g (id int);
