-- The body of a DO block is not modelled: the names it mentions
-- (nickname) make the catalog unsure about them.
DO $$
BEGIN
    EXECUTE 'ALTER TABLE account ADD COLUMN nickname text';
END
$$;
