INSERT INTO people (full_name, feeling) VALUES ('  Ada ', 'ok');
UPDATE kinds SET label = 'Beta!' WHERE code = 'b';
