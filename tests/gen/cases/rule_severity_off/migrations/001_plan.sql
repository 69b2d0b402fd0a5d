CREATE TABLE plan (id bigint PRIMARY KEY, name text NOT NULL);
CREATE VIEW plan_names AS SELECT name FROM plan;
