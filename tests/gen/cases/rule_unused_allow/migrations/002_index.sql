CREATE TABLE note (id bigint PRIMARY KEY, body text);
    -- Fires at 4:5, where the indented directive starts: note was created
    -- in this migration, so its index is not [blocking-index].
    -- migc:allow blocking-index note was created just above
    CREATE INDEX note_body ON note (body);
