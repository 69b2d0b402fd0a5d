CREATE TYPE review_state AS ENUM ('draft', 'done');
ALTER TYPE review_state ADD VALUE 'rejected' AFTER 'done';
CREATE TABLE review (id bigint PRIMARY KEY, state review_state DEFAULT 'rejected');
