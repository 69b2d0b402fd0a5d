CREATE SCHEMA app;
CREATE TABLE app.users (id bigint PRIMARY KEY);
CREATE INDEX users_email_idx ON users (email);
CREATE TABLE app.emails (email text);
CREATE INDEX users_email_idx ON app.emails (email);
