CREATE POLICY doc_owner ON doc USING (owner = current_user OR EXISTS (SELECT 1 FROM share s WHERE s.doc_id = doc.id AND grantee = current_user)) WITH CHECK (doc.owner = current_user);
