-- Webhooks: a trigger fired by an HTTP POST to a URL holding its secret
-- key. These functions switch a trigger's webhook on and off and issue
-- keys; the API serves the URL.

-- A new key: "wh_" and 61 random hex digits (64 characters in all).
CREATE FUNCTION generate_webhook_key()
RETURNS varchar
LANGUAGE sql
VOLATILE
AS $$
    SELECT 'wh_'
        || replace(gen_random_uuid()::text, '-', '')
        || left(replace(gen_random_uuid()::text, '-', ''), 29)
$$;

-- Switch the webhook of a trigger on (keeping its key when it has one),
-- with config merged into webhook_config; returns the key.
CREATE FUNCTION enable_trigger_webhook(
    p_trigger_id BIGINT,
    p_config     JSONB DEFAULT '{}'::jsonb
)
RETURNS varchar
LANGUAGE plpgsql
AS $$
DECLARE
    v_key varchar;
BEGIN
    UPDATE trigger
    SET webhook_enabled = true,
        webhook_key = coalesce(webhook_key, generate_webhook_key()),
        webhook_config = webhook_config || coalesce(p_config, '{}'::jsonb)
    WHERE id = p_trigger_id
    RETURNING webhook_key INTO v_key;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'trigger % does not exist', p_trigger_id
            USING ERRCODE = 'no_data_found';
    END IF;
    RETURN v_key;
END;
$$;

-- Switch it off; the key is kept, so that switching on again keeps URLs
-- valid. Returns whether the trigger exists.
CREATE FUNCTION disable_trigger_webhook(p_trigger_id BIGINT)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE trigger SET webhook_enabled = false WHERE id = p_trigger_id;
    RETURN FOUND;
END;
$$;

-- A new key for a trigger whose webhook is on (the old URL stops working);
-- returns it.
CREATE FUNCTION regenerate_trigger_webhook_key(p_trigger_id BIGINT)
RETURNS varchar
LANGUAGE plpgsql
AS $$
DECLARE
    v_key varchar;
BEGIN
    UPDATE trigger
    SET webhook_key = generate_webhook_key()
    WHERE id = p_trigger_id AND webhook_enabled
    RETURNING webhook_key INTO v_key;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'trigger % does not exist or has no webhook enabled',
            p_trigger_id
            USING ERRCODE = 'no_data_found';
    END IF;
    RETURN v_key;
END;
$$;
