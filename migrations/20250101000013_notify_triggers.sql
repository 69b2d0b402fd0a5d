-- LISTEN/NOTIFY: the API and the services LISTEN instead of polling. Each
-- payload is a small JSON object (NOTIFY payloads stay under 8000 bytes);
-- a listener reads the row itself for more.
--   execution     a new execution, or an execution whose status changed
--   event_created a new event
--   enforcement   a new enforcement, or one whose status changed
--   the notification's channel   a new notification row

-- ---------------------------------------------------------------------------
-- execution
-- ---------------------------------------------------------------------------

CREATE FUNCTION notify_execution_change()
RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    v_rule_ref    text;
    v_trigger_ref text;
BEGIN
    IF NEW.enforcement IS NOT NULL THEN
        SELECT e.rule_ref, e.trigger_ref INTO v_rule_ref, v_trigger_ref
        FROM enforcement e
        WHERE e.id = NEW.enforcement;
    END IF;
    PERFORM pg_notify('execution', json_build_object(
        'op', lower(TG_OP),
        'id', NEW.id,
        'action_ref', NEW.action_ref,
        'status', NEW.status,
        'old_status', CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END,
        'parent', NEW.parent,
        'enforcement', NEW.enforcement,
        'rule_ref', v_rule_ref,
        'trigger_ref', v_trigger_ref,
        'is_workflow', NEW.is_workflow
    )::text);
    RETURN NEW;
END;
$$;

CREATE TRIGGER execution_notify_insert
    AFTER INSERT ON execution
    FOR EACH ROW
    EXECUTE FUNCTION notify_execution_change();

CREATE TRIGGER execution_notify_status
    AFTER UPDATE OF status ON execution
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION notify_execution_change();

-- ---------------------------------------------------------------------------
-- event
-- ---------------------------------------------------------------------------

CREATE FUNCTION notify_event_created()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM pg_notify('event_created', json_build_object(
        'id', NEW.id,
        'trigger_ref', NEW.trigger_ref,
        'source_ref', NEW.source_ref,
        'rule_ref', NEW.rule_ref
    )::text);
    RETURN NEW;
END;
$$;

CREATE TRIGGER event_notify_insert
    AFTER INSERT ON event
    FOR EACH ROW
    EXECUTE FUNCTION notify_event_created();

-- ---------------------------------------------------------------------------
-- enforcement
-- ---------------------------------------------------------------------------

CREATE FUNCTION notify_enforcement_change()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM pg_notify('enforcement', json_build_object(
        'op', lower(TG_OP),
        'id', NEW.id,
        'rule_ref', NEW.rule_ref,
        'trigger_ref', NEW.trigger_ref,
        'event', NEW.event,
        'status', NEW.status
    )::text);
    RETURN NEW;
END;
$$;

CREATE TRIGGER enforcement_notify_insert
    AFTER INSERT ON enforcement
    FOR EACH ROW
    EXECUTE FUNCTION notify_enforcement_change();

CREATE TRIGGER enforcement_notify_status
    AFTER UPDATE OF status ON enforcement
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION notify_enforcement_change();

-- ---------------------------------------------------------------------------
-- notification
-- ---------------------------------------------------------------------------

CREATE FUNCTION notify_notification_created()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM pg_notify(NEW.channel, json_build_object(
        'id', NEW.id,
        'entity_type', NEW.entity_type,
        'entity', NEW.entity,
        'activity', NEW.activity
    )::text);
    RETURN NEW;
END;
$$;

CREATE TRIGGER notification_notify_insert
    AFTER INSERT ON notification
    FOR EACH ROW
    EXECUTE FUNCTION notify_notification_created();
