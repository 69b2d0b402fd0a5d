DO $$
BEGIN
    DROP FUNCTION legacy_count();
    DROP TABLE legacy;
END $$;
INSERT INTO legacy VALUES (1);
