-- Near-miss: values a CREATE TYPE lists are usable in its transaction;
-- 'pending' was committed by an earlier migration.
CREATE TYPE review_state AS ENUM ('draft', 'done');
CREATE TABLE review (id bigint PRIMARY KEY, state review_state DEFAULT 'draft');
INSERT INTO ticket (id, title, state) VALUES (1, 'first', 'pending');

-- Fires: a value added to a type this same migration created is not
-- committed either.
ALTER TYPE review_state ADD VALUE 'rejected' AFTER 'done';
SELECT count(*) FROM review WHERE state = 'rejected';
