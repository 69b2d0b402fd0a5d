CREATE UNIQUE INDEX users_pkey ON users (email);
