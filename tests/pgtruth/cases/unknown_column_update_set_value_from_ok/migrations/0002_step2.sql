UPDATE picked SET label = s.name FROM src s WHERE s.id = picked.id;
UPDATE picked SET label = (SELECT name FROM src WHERE src.id = picked.id);
