CREATE VIEW account_totals AS
WITH big AS (SELECT account_id, total AS amount FROM invoice WHERE total > 100)
SELECT a.id, n.name, t.sum_total, x.n, a AS whole, s.id AS sid, a.ctid::text AS row_ref,
       (SELECT count(*) FROM invoice i WHERE i.account_id = a.id AND email IS NOT NULL) AS invoices,
       (SELECT max(amount) FROM big WHERE big.account_id = a.id) AS biggest
FROM account a
JOIN account_names n USING (id)
LEFT JOIN LATERAL (SELECT sum(total) AS sum_total FROM invoice WHERE account_id = a.id) t ON true
CROSS JOIN generate_series(1, 2) AS x(n)
LEFT JOIN (SELECT id FROM account) s ON s.id = a.id
WHERE EXISTS (SELECT 1 FROM invoice WHERE account_id = a.id)
ORDER BY sum_total;
CREATE VIEW account_totals2 AS SELECT sum_total + 1 AS more, name FROM account_totals;
