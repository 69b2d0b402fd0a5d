-- down_notx (up-down layout): a down script that runs outside a
-- transaction and fails at its second statement (down.sh).
CREATE TABLE events (id integer PRIMARY KEY, kind text, note text);
