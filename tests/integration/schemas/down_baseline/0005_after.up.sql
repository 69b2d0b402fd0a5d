CREATE TABLE after_base (id integer PRIMARY KEY);
