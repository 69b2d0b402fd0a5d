-- Caf€ menu: the error is on line 3, column 30 (counted in characters).
CREATE TABLE menu (name text DEFAULT 'crème brûlée');
INSERT INTO menu VALUES ('é' 'à');
