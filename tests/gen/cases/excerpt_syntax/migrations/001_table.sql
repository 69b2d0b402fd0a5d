-- The excerpt of a finding of an earlier stage (the parser), in
-- check's text output.
CREATE TABLE t (id bigint PRIMARY KEY,, name text);
