-- prisma applies this after 20240101000000_add_posts (name order)
CREATE TABLE users (id bigint PRIMARY KEY, pinned bigint REFERENCES posts (id));
