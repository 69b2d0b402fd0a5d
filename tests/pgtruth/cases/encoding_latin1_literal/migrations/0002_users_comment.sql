COMMENT ON TABLE users IS 'Utilisateurs (rXsumX inclus)';
