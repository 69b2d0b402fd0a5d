WITH picked AS (SELECT s.id, s.name AS label FROM src AS s WHERE s.id > 0)
INSERT INTO dst (id, label, n)
SELECT p.id, p.label, count(*) OVER (PARTITION BY p.label) FROM picked AS p
ON CONFLICT DO NOTHING
RETURNING dst.id, label;
UPDATE dst SET n = sub.c FROM (SELECT label, count(*) AS c FROM dst GROUP BY label) AS sub WHERE sub.label = dst.label;
DELETE FROM dst USING src WHERE src.id = dst.id AND src.name IS NULL RETURNING *;
