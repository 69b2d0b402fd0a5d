-- Version 10 sorts after 2 (numerically, not by name).
CREATE INDEX account_updated ON account (updated);
