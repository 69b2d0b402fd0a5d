CREATE TABLE posts (id int PRIMARY KEY, user_id int REFERENCES users);
