CREATE TYPE users AS (id bigint, email text);
