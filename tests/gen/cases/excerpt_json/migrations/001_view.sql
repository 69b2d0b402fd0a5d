-- --excerpt: never in JSON output.
CREATE VIEW v1 AS SELECT id FROM acount;
