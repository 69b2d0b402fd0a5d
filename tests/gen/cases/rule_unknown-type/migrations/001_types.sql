CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE EXTENSION citext;
