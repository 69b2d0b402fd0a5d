CREATE TABLE ${schema}.b (id int);
