-- A plpgsql trigger function: its $$ body holds semicolons of its own.
CREATE FUNCTION touch_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated := now(); -- edited after release
    RETURN NEW;
END;
$$;

CREATE TRIGGER items_touch BEFORE UPDATE ON items
    FOR EACH ROW EXECUTE FUNCTION touch_updated();
