ALTER TABLE users ADD COLUMN mood app.mood;
