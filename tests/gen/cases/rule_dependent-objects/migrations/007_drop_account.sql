-- migc:allow destructive accounts moved to another service
-- Fires [dependent-objects]: invoice's foreign key references account.
DROP TABLE account;
