INSERT INTO picked (id, label) SELECT id, label FROM src;
