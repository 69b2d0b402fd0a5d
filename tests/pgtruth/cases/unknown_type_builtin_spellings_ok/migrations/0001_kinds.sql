CREATE TABLE kinds (
    a int4, b int8, c float8, d "char", e bpchar(3), f timestamptz(3),
    g double precision, h character varying(20), i bit varying(8),
    j interval day to second, k int[], l text[][], m timestamp without time zone,
    n time with time zone, o numeric(10, 2), p decimal, q serial8, r smallserial,
    s pg_catalog.int4, t regclass, u tsvector, v jsonb, w inet, x money, y bytea, z xml
);
SELECT '1'::int2, '{}'::jsonb, 'a'::name, now()::date;
