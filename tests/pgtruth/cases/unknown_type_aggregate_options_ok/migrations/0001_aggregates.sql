-- CREATE AGGREGATE, CREATE OPERATOR and CREATE TYPE options the grammar
-- parses as type names but PostgreSQL reads as functions or keywords.
CREATE FUNCTION uuid_smaller(uuid, uuid) RETURNS uuid LANGUAGE sql IMMUTABLE
    AS 'SELECT CASE WHEN $1 < $2 THEN $1 ELSE $2 END';
CREATE FUNCTION uuid_self(uuid) RETURNS uuid LANGUAGE sql IMMUTABLE
    AS 'SELECT $1';
CREATE AGGREGATE min_uuid(uuid) (
    SFUNC = uuid_smaller,
    STYPE = uuid,
    PARALLEL = SAFE
);
CREATE AGGREGATE min_uuid_old(BASETYPE = uuid, SFUNC = uuid_smaller, STYPE = uuid);
CREATE AGGREGATE min_uuid_restricted(uuid) (SFUNC = uuid_smaller, STYPE = uuid,
    FINALFUNC = uuid_self, PARALLEL = restricted, FINALFUNC_MODIFY = read_only);
CREATE FUNCTION same_box(box, box) RETURNS boolean LANGUAGE sql IMMUTABLE
    AS 'SELECT $1 ~= $2';
CREATE OPERATOR === (LEFTARG = box, RIGHTARG = box, FUNCTION = same_box);
