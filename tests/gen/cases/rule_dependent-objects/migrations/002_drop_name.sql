-- migc:allow destructive the column is unused
-- Fires [dependent-objects]: the view account_names reads account.name.
ALTER TABLE account DROP COLUMN name;
