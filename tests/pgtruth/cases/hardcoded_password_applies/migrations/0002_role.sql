CREATE ROLE pgtruth_reporting LOGIN PASSWORD 's3cret-reporting';
GRANT SELECT ON users TO pgtruth_reporting;
REVOKE SELECT ON users FROM pgtruth_reporting;
DROP ROLE pgtruth_reporting;
