-- Excerpts under the findings (--excerpt): a caret at column 1,
DROP TABLE gone;
-- mid-line,
CREATE VIEW v1 AS SELECT id FROM nope1;
-- after tabs (expanded to the next multiple of 8 cells),
CREATE VIEW v2 AS	SELECT id	FROM	nope2;
-- after multibyte characters (é one cell, 日本 two cells each),
CREATE VIEW "café_日本" AS SELECT id FROM nope3;
-- after a bidirectional control and a control character (escaped),
CREATE VIEW v4 AS SELECT '‮', '' AS c FROM nope4;
-- far into a long line (trimmed on both sides),
CREATE VIEW v5 AS SELECT 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' AS pad FROM nope5 WHERE 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' <> '';
-- early in a long line (trimmed at its end),
CREATE VIEW v6 AS SELECT id FROM nope6 WHERE 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' <> '';
-- near the end of a long line (trimmed at its start).
CREATE VIEW v7 AS SELECT 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' AS pad FROM nope7;
