-- the trigger invoice_stamp calls it
DROP FUNCTION stamp();
