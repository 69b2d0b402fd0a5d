-- migrate:up
-- nothing yet

-- migrate:down
SELECT 1;
