-- The tables the pack cases fill: a pack table, and gadgets of a pack.
CREATE TYPE color AS ENUM ('red', 'green', 'blue');

CREATE TABLE pack (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ref     text NOT NULL UNIQUE,
    label   text NOT NULL,
    version varchar(16) NOT NULL DEFAULT '1.0.0',
    enabled boolean NOT NULL DEFAULT true
);

CREATE TABLE gadget (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ref        text NOT NULL UNIQUE,
    pack       bigint REFERENCES pack (id) ON DELETE CASCADE,
    pack_ref   text,
    name       text NOT NULL,
    code       varchar(4),
    size       integer,
    weight     numeric(6,2),
    active     boolean NOT NULL DEFAULT false,
    color      color,
    tags       text[] NOT NULL DEFAULT '{}',
    sizes      smallint[],
    settings   jsonb NOT NULL DEFAULT '{}',
    made       timestamptz,
    parent     bigint REFERENCES gadget (id) ON DELETE SET NULL,
    parent_ref text
);
