-- Triggers (kinds of event, with an optional webhook), the rules that map a
-- trigger to an action, and the events sensors and webhooks record.

-- ---------------------------------------------------------------------------
-- trigger
-- ---------------------------------------------------------------------------

CREATE TABLE trigger (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ref             TEXT        NOT NULL,
    pack            BIGINT      REFERENCES pack (id) ON DELETE CASCADE,
    pack_ref        TEXT,
    label           TEXT        NOT NULL,
    description     TEXT,
    enabled         BOOLEAN     NOT NULL DEFAULT true,
    is_adhoc        BOOLEAN     NOT NULL DEFAULT false,
    param_schema    JSONB,
    out_schema      JSONB,
    -- A trigger can also be fired by an HTTP POST to its webhook; the key
    -- is the secret part of the URL (see the webhook functions).
    webhook_enabled BOOLEAN     NOT NULL DEFAULT false,
    webhook_key     VARCHAR(64) UNIQUE,
    webhook_config  JSONB       NOT NULL DEFAULT '{}'::jsonb,
    created         TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated         TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT trigger_ref_unique UNIQUE (ref),
    CONSTRAINT trigger_ref_format CHECK (ref ~ '^[a-z0-9_-]+\.[a-z0-9_-]+$'),
    CONSTRAINT trigger_webhook_needs_key CHECK (NOT webhook_enabled OR webhook_key IS NOT NULL)
);

COMMENT ON TABLE trigger IS 'Kinds of event that rules react to';

CREATE INDEX idx_trigger_pack ON trigger (pack);
CREATE INDEX idx_trigger_enabled ON trigger (enabled) WHERE enabled;
CREATE INDEX idx_trigger_webhook_enabled ON trigger (webhook_enabled) WHERE webhook_enabled;
CREATE INDEX idx_trigger_webhook_config ON trigger USING GIN (webhook_config);

CREATE TRIGGER trigger_updated
    BEFORE UPDATE ON trigger
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();

-- The sensor table of the previous migration names its trigger; the key
-- could only be declared once the trigger table existed.
-- migc:allow constraint-not-valid sensor was created empty one migration earlier in this same first release; no row can exist to scan
ALTER TABLE sensor
    ADD CONSTRAINT sensor_trigger_fkey
    FOREIGN KEY (trigger) REFERENCES trigger (id) ON DELETE CASCADE;

-- ---------------------------------------------------------------------------
-- rule
-- ---------------------------------------------------------------------------

CREATE TABLE rule (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ref            TEXT        NOT NULL,
    pack           BIGINT      REFERENCES pack (id) ON DELETE CASCADE,
    pack_ref       TEXT,
    label          TEXT        NOT NULL,
    description    TEXT,
    -- A rule means nothing without its action or its trigger.
    action         BIGINT      NOT NULL REFERENCES action (id) ON DELETE CASCADE,
    action_ref     TEXT        NOT NULL,
    trigger        BIGINT      NOT NULL REFERENCES trigger (id) ON DELETE CASCADE,
    trigger_ref    TEXT        NOT NULL,
    -- Criteria on the event's payload, all of which must hold.
    conditions     JSONB       NOT NULL DEFAULT '[]'::jsonb,
    -- Parameters passed to the action (templates over the payload) and to
    -- the trigger (filters a sensor applies).
    action_params  JSONB       NOT NULL DEFAULT '{}'::jsonb,
    trigger_params JSONB       NOT NULL DEFAULT '{}'::jsonb,
    enabled        BOOLEAN     NOT NULL DEFAULT true,
    is_adhoc       BOOLEAN     NOT NULL DEFAULT false,
    created        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated        TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT rule_ref_unique UNIQUE (ref),
    CONSTRAINT rule_ref_format CHECK (ref ~ '^[a-z0-9_-]+\.[a-z0-9_-]+$'),
    CONSTRAINT rule_conditions_is_array CHECK (jsonb_typeof(conditions) = 'array')
);

COMMENT ON TABLE rule IS 'If an event of this trigger matches, run this action';

CREATE INDEX idx_rule_pack ON rule (pack);
CREATE INDEX idx_rule_action ON rule (action);
CREATE INDEX idx_rule_trigger ON rule (trigger);
CREATE INDEX idx_rule_enabled_trigger ON rule (trigger) WHERE enabled;
CREATE INDEX idx_rule_conditions ON rule USING GIN (conditions);

CREATE TRIGGER rule_updated
    BEFORE UPDATE ON rule
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();

-- ---------------------------------------------------------------------------
-- event
-- ---------------------------------------------------------------------------

CREATE TABLE event (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Events are history: they keep their refs when what they name goes.
    trigger     BIGINT      REFERENCES trigger (id) ON DELETE SET NULL,
    trigger_ref TEXT        NOT NULL,
    config      JSONB,
    payload     JSONB,
    source      BIGINT      REFERENCES sensor (id) ON DELETE SET NULL,
    source_ref  TEXT,
    -- Set when the event was produced for one rule only (rule-scoped
    -- timers and webhooks).
    rule        BIGINT      REFERENCES rule (id) ON DELETE SET NULL,
    rule_ref    TEXT,
    created     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated     TIMESTAMPTZ NOT NULL DEFAULT now()
);

COMMENT ON TABLE event IS 'Trigger firings, with their payload';

CREATE INDEX idx_event_trigger ON event (trigger);
CREATE INDEX idx_event_trigger_ref ON event (trigger_ref);
CREATE INDEX idx_event_source ON event (source);
CREATE INDEX idx_event_rule ON event (rule);
CREATE INDEX idx_event_created ON event (created DESC);
CREATE INDEX idx_event_payload ON event USING GIN (payload);

CREATE TRIGGER event_updated
    BEFORE UPDATE ON event
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();
