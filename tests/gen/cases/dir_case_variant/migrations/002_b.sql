-- Migc:Allow blocking-index the table is empty
CREATE INDEX a_id ON a (id);
