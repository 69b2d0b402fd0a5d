-- slow: a quick first migration, so that a run can find the database
-- with something applied (a fresh one goes as query strings, whose
-- statements the server cannot name while they run).
CREATE TABLE slow_first (id integer);
