-- A function body in dollar quotes, with semicolons, quotes and C trouble.
CREATE FUNCTION hostile_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- */ ??= inside the body; and a semicolon;
    NEW.body := NEW.body || ' touched ''here'' ??/ \';
    RAISE NOTICE 'naïve % ✓ ??=', NEW.id;
    RETURN NEW;
END;
$$;

CREATE FUNCTION hostile_tagged() RETURNS text LANGUAGE sql AS $fn$
    SELECT 'inner $$ dollars $$; ??/'::text
$fn$;

CREATE TRIGGER hostile_touch BEFORE UPDATE ON hostile
    FOR EACH ROW EXECUTE FUNCTION hostile_touch();

CREATE RULE hostile_log AS ON DELETE TO hostile DO ALSO (
    INSERT INTO hostile (id, body) VALUES (-OLD.id, 'deleted; ' || OLD.body);
    NOTIFY hostile
);
