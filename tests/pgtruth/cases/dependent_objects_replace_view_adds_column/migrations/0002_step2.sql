CREATE OR REPLACE VIEW v AS SELECT t.a, t.b, t.c AS extra FROM t WHERE c > 0;
