-- migc:no-transaction
ALTER TYPE status ADD VALUE IF NOT EXISTS 'doing' AFTER 'new';
UPDATE tasks SET s = 'doing' WHERE s = 'new';
