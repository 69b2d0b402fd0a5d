CREATE TABLE doc (id bigint PRIMARY KEY, owner text);
CREATE TABLE share (doc_id bigint, grantee text);
ALTER TABLE doc ENABLE ROW LEVEL SECURITY;
