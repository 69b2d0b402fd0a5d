UPDATE picked p SET label = p.id::text RETURNING p.label, name;
