CREATE VIEW post_ids AS SELECT id FROM posts;
