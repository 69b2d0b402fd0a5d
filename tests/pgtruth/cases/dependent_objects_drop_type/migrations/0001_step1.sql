CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TABLE person (id bigint PRIMARY KEY, current_mood mood);
