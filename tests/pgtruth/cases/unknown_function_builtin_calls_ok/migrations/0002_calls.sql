CREATE SEQUENCE invoice_numbers;
CREATE TABLE invoices (
    id bigint PRIMARY KEY DEFAULT nextval('invoice_numbers'),
    label text DEFAULT format('INV-%s', to_char(now(), 'YYYY')),
    tags text[] DEFAULT ARRAY[]::text[],
    doc jsonb DEFAULT jsonb_set('{}'::jsonb, '{a}', to_jsonb(1)),
    ref text DEFAULT md5(random()::text),
    during tstzrange DEFAULT tstzrange(now(), NULL)
);
CREATE VIEW invoice_tags AS SELECT id, unnest(tags) AS tag, array_agg(label) OVER () AS labels,
    regexp_replace(label, '[^0-9]', '', 'g') AS digits, current_setting('TimeZone') AS tz
    FROM invoices, generate_series(1, 2) AS g(n);
