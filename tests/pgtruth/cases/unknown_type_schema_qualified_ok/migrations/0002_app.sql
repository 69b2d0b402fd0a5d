CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('happy', 'sad');
