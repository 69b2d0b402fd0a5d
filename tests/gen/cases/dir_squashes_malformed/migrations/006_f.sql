-- migc:squashes 1..99999999999999999999
CREATE TABLE f (id int);
