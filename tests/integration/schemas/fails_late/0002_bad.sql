-- ñandú: characters, not bytes, count in the server's positions.
CREATE TABLE fl_b (name text);
INSERT INTO fl_b VALUES ('ñandú über straße');
SELECT length(name),
       'ünï'::integer FROM fl_b;
