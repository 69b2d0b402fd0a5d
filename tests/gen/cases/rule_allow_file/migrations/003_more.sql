-- Fires [blocking-index]: the allow of 002 covers 002 only.
CREATE INDEX account_email_created ON account (email, created);
