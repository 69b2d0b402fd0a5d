-- non-reserved keywords as names, reserved ones quoted
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    name text,
    type text,
    value numeric,
    "order" integer,
    "user" text
);
COMMENT ON COLUMN orders."order" IS E'position\tin the list; ''quoted''';
