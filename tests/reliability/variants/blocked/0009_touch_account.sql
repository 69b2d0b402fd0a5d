-- Waits for a row lock the test holds, keeping the migration lock taken
-- meanwhile.
UPDATE accounts SET email = email WHERE id = 1;
