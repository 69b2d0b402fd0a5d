-- Fires [data-in-migration] (a note): INSERT, UPDATE and DELETE change
-- data, not the schema.
INSERT INTO plan (id, name, price) VALUES (1, 'free', 0), (2, 'pro', 10);
UPDATE plan SET price = 12 WHERE name = 'pro';
DELETE FROM plan WHERE price IS NULL;

-- Near-miss: a SELECT reads and changes nothing.
SELECT count(*) FROM plan;
