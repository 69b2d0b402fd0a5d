-- migc:allow
CREATE TABLE c (id int);
