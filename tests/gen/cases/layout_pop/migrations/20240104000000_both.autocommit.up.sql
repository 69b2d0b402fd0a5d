CREATE INDEX CONCURRENTLY accounts_id_note ON accounts (id, note);
