-- migc:allow destructive plans moved to a table of their own
-- Near-miss: CASCADE drops the policy that reads plan; it can be created
-- again.
ALTER TABLE account DROP COLUMN plan CASCADE;
CREATE POLICY invoice_owner ON invoice USING (account_id > 0);
