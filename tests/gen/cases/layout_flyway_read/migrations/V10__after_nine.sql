CREATE TABLE after_nine (id bigint PRIMARY KEY);
