-- A plpgsql trigger function (reformatted after release: comments and
-- whitespace only, the tokens are the same).
CREATE FUNCTION touch_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated := now() + interval '1 day';
    RETURN NEW;
END;
$$;

create trigger items_touch
    before update on items
    for each row execute function touch_updated();
