-- Never applied: 0002 stops the run, now and on every later run.
CREATE TABLE after_partial (id integer);
