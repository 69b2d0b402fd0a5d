CREATE TABLE account (id bigint PRIMARY KEY, email text NOT NULL, legacy text);
CREATE TABLE audit_log (id bigint PRIMARY KEY, line text);
