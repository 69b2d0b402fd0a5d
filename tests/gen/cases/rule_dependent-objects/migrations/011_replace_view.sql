CREATE VIEW invoice_owners AS SELECT id, account_id FROM invoice;
CREATE OR REPLACE VIEW invoice_owners AS SELECT id, account_id, no FROM invoice;
-- renames a column
CREATE OR REPLACE VIEW invoice_owners AS SELECT id, account_id AS owner, no FROM invoice;
