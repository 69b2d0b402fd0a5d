WITH s AS (SELECT id, name FROM src) INSERT INTO picked (id, label) SELECT id, name FROM s;
