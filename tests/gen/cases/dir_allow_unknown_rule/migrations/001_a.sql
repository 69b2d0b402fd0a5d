-- migc:allow no-such-rule because we can
CREATE TABLE a (id int);
