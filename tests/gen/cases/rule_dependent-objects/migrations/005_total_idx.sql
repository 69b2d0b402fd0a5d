CREATE INDEX CONCURRENTLY invoice_total_idx ON invoice (total, id);
