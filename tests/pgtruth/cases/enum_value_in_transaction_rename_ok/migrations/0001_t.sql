CREATE TYPE status AS ENUM ('new', 'done');
CREATE TABLE tasks (id int, s status DEFAULT 'new');
