-- migc:squashes 1..3
CREATE TABLE sq1 (id int);
CREATE TABLE sq2 (id int);
CREATE TABLE sq3 (id int);
