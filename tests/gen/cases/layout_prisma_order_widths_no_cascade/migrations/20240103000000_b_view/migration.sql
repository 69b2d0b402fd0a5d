CREATE VIEW post_users AS SELECT user_id FROM posts;
