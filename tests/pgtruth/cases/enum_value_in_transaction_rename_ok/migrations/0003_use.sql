ALTER TYPE status RENAME VALUE 'done' TO 'finished';
UPDATE tasks SET s = 'finished' WHERE s = 'doing';
ALTER TABLE tasks ALTER COLUMN s SET DEFAULT 'doing';
