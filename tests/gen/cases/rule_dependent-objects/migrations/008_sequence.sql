CREATE SEQUENCE invoice_no;
ALTER TABLE invoice ADD COLUMN no bigint DEFAULT nextval('invoice_no');
CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS 'begin return new; end';
CREATE TRIGGER invoice_stamp BEFORE INSERT ON invoice
    FOR EACH ROW EXECUTE FUNCTION stamp();
