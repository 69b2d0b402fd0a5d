-- A NOT NULL foreign key filled from its _ref column, which may be null.
CREATE TABLE pack (
    id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ref text NOT NULL UNIQUE
);

CREATE TABLE tool (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ref       text NOT NULL UNIQUE,
    owner     bigint NOT NULL REFERENCES pack (id) ON DELETE CASCADE,
    owner_ref text
);
