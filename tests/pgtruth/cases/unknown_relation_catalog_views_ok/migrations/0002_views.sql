CREATE VIEW user_tables AS SELECT table_name FROM information_schema.tables WHERE table_schema = 'public';
CREATE VIEW user_classes AS SELECT relname FROM pg_class JOIN pg_catalog.pg_namespace n ON n.oid = relnamespace WHERE n.nspname = 'public';
CREATE MATERIALIZED VIEW user_count AS SELECT count(*) AS n FROM users;
REFRESH MATERIALIZED VIEW user_count;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO PUBLIC;
