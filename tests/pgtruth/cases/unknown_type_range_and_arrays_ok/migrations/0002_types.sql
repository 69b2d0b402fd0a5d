CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE TYPE address AS (street text, city text);
CREATE TABLE readings (
    moods mood[], span floatrange, spans floatmultirange, during tstzrange, days daterange,
    home address, homes address[], labels varchar[], at timestamp with time zone
);
