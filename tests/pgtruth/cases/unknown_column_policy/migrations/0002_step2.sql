CREATE POLICY doc_owner ON doc USING (owner_name = current_user);
