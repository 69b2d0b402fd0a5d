-- Fires [created-then-dropped] (a note): 001 created the view and the
-- type; a squash would leave both pairs out.
DROP VIEW account_emails;
DROP TYPE account_state;

-- Near-miss: created and dropped in this same migration.
CREATE VIEW account_ids AS SELECT id FROM account;
DROP VIEW account_ids;
