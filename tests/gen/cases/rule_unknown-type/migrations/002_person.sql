-- Fires [unknown-type]: "moood" is a typo; nothing created it and
-- PostgreSQL has no such type (reported at the type name).
-- Near-misses in the same statement: "mood" (an enum created by 001),
-- citext (CREATE EXTENSION citext in 001), timestamptz (built in),
-- text[] (an array of a built-in type).
CREATE TABLE person (
    id bigint PRIMARY KEY,
    current_mood mood,
    previous_mood moood,
    email citext NOT NULL,
    tags text[],
    seen timestamptz
);

-- Fires too: ALTER TYPE of a type nothing created (reported at the
-- statement).
ALTER TYPE colour ADD VALUE 'red';

-- Near-miss: ALTER TYPE of the enum created earlier.
ALTER TYPE mood ADD VALUE 'calm';
