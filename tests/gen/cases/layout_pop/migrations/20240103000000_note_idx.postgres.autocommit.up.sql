CREATE INDEX CONCURRENTLY accounts_note ON accounts (note);
