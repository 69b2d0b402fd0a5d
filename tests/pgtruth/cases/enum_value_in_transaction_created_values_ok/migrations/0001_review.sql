CREATE TYPE review_state AS ENUM ('draft', 'done', 'rejected');
CREATE TABLE review (id bigint PRIMARY KEY, state review_state DEFAULT 'rejected', note text);
ALTER TYPE review_state ADD VALUE 'archived';
INSERT INTO review VALUES (1, 'done', 'archived');
SELECT 'archived'::text, count(*) FROM review WHERE note = 'archived';
