-- migc:allow mixed-transaction   
CREATE TABLE b (id int);
