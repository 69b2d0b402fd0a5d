-- migc:no-transaction
DO $$
BEGIN
    FOR i IN 1..3 LOOP
        INSERT INTO t VALUES (i);
        COMMIT;
    END LOOP;
END
$$;
