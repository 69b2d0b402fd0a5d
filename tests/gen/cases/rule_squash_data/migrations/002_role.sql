CREATE ROLE app_reader NOLOGIN;
GRANT SELECT ON a TO app_reader;
