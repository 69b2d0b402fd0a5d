-- A WARNING, which the command line shows.
DO $$ BEGIN RAISE WARNING 'long_names: a warning is shown'; END $$;
