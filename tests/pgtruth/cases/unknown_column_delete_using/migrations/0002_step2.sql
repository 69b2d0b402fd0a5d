DELETE FROM picked USING src WHERE src.label = picked.label;
