-- migc:allow unknown-relation fails at run time on line 4, column 13 (no such table)
CREATE TABLE gadgets (id integer PRIMARY KEY);
INSERT INTO widgets (id) VALUES (1);
INSERT INTO missing_table (id) VALUES (1);
CREATE TABLE never_created (id integer);
