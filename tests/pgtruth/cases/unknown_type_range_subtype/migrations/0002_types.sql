CREATE TYPE floatrange AS RANGE (subtype = float9);
