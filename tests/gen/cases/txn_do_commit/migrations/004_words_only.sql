DO $$ BEGIN RAISE NOTICE 'commit the rollback'; END $$;
