DELETE FROM picked USING src WHERE src.name = picked.label RETURNING picked.id, src.name;
