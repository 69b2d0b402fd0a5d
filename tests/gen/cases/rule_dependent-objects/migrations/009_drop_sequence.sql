-- the default of invoice.no uses it
DROP SEQUENCE invoice_no;
