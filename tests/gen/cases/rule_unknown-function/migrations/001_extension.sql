CREATE EXTENSION "uuid-ossp";
CREATE TABLE account (id uuid PRIMARY KEY, email text NOT NULL);
