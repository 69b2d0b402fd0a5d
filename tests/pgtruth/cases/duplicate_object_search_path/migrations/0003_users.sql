SET LOCAL search_path = app, public;
CREATE TABLE app.users (id bigint PRIMARY KEY);
CREATE TABLE users (id bigint PRIMARY KEY);
