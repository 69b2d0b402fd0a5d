INSERT INTO picked (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET label = excluded.title;
