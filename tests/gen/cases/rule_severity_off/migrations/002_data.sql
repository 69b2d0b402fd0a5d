-- `--severity data-in-migration=off` (see ../command): none of the data
-- statements is reported.
INSERT INTO plan (id, name) VALUES (1, 'free');
UPDATE plan SET name = 'Free' WHERE id = 1;
DELETE FROM plan WHERE id > 100;

-- Silent too: an allow of a rule switched off is not [unused-allow],
-- though the SELECT after it is no data change.
-- migc:allow data-in-migration kept from when this was an INSERT
SELECT count(*) FROM plan;

-- Near-miss: a note of another rule is still reported
-- ([created-then-dropped]).
DROP VIEW plan_names;
