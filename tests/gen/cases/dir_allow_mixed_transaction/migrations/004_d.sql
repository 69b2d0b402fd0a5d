CREATE TABLE d (id int);
-- migc:allow mixed-transaction this names the wrong statement
SELECT 1;
CREATE INDEX CONCURRENTLY d_id ON d (id);
