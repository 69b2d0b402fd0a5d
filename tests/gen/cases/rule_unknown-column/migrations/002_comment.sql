-- Fires [unknown-column]: account has no column "mail".
COMMENT ON COLUMN account.mail IS 'the login address';

-- Near-miss: "email" exists.
COMMENT ON COLUMN account.email IS 'the login address';

-- Near-miss: DROP COLUMN IF EXISTS of a column that is not there.
ALTER TABLE account DROP COLUMN IF EXISTS mail;
