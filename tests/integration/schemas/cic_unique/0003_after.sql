CREATE TABLE after_codes (id integer);
