-- undo
DROP TABLE a;
DROP TABEL b;
