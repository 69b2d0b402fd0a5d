-- --no-excerpt after --excerpt: the last one wins.
CREATE VIEW v1 AS SELECT id FROM acount;
