CREATE FUNCTION make(stmt text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
END $$;
SELECT make('CREATE TABLE ' || 'made (id int)');
