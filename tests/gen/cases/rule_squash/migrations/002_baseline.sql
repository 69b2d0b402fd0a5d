-- migc:squashes 0..1
CREATE TABLE a (id int);
