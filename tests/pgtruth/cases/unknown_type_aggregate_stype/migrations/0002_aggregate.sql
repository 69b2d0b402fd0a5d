-- STYPE is read as a type: one no statement created is refused.
CREATE AGGREGATE min_uuid(uuid) (
    SFUNC = uuid_smaller,
    STYPE = uuid_state,
    PARALLEL = SAFE
);
