CREATE TABLE zeros (id bigint PRIMARY KEY);
