-- Statements the runtime may retry, with the index names a retry cleans
-- up quoted for SQL inside C: quotes, a backslash, "??=" and "*/".
-- migc:no-transaction
-- migc:lock-timeout 5s
-- migc:statement-timeout 10min
CREATE INDEX CONCURRENTLY "Hostile ""Idx"" \ ??= */" ON public.hostile (id);
CREATE INDEX CONCURRENTLY hostile_id_desc ON hostile (id DESC);
CREATE INDEX CONCURRENTLY ON hostile (id, length(body));
DROP INDEX CONCURRENTLY IF EXISTS hostile_id_desc;
VACUUM (ANALYZE) hostile;
