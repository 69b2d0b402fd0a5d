COMMENT ON TABLE users IS 'Utilisateurs (résumé inclus) ✓';
