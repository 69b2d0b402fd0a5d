CREATE TABLE doc (id bigint PRIMARY KEY, owner text);
ALTER TABLE doc ENABLE ROW LEVEL SECURITY;
CREATE POLICY doc_owner ON doc USING (owner = current_user);
