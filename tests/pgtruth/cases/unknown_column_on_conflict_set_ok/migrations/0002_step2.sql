INSERT INTO picked (id, label) VALUES (1, 'a') ON CONFLICT (id) DO UPDATE SET label = excluded.label || picked.label WHERE picked.id > 0 RETURNING id;
