DROP TYPE mood CASCADE;
ALTER TABLE person ADD COLUMN current_mood text;
