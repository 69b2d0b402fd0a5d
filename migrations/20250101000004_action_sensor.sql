-- Actions (what the platform runs), sensors (what watches for events) and
-- the policies that limit how actions run. A sensor's trigger column gets
-- its foreign key in the next migration, which creates the trigger table.

-- ---------------------------------------------------------------------------
-- action
-- ---------------------------------------------------------------------------

CREATE TABLE action (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- "<pack>.<name>", e.g. 'core.http_request'.
    ref          TEXT        NOT NULL,
    pack         BIGINT      NOT NULL REFERENCES pack (id) ON DELETE CASCADE,
    pack_ref     TEXT        NOT NULL,
    label        TEXT        NOT NULL,
    description  TEXT,
    -- Script or module the runtime starts, relative to the pack.
    entrypoint   TEXT        NOT NULL,
    -- An action outlives the removal of its runtime; it cannot run until
    -- one is assigned again.
    runtime      BIGINT      REFERENCES runtime (id) ON DELETE SET NULL,
    runtime_ref  TEXT,
    param_schema JSONB,
    out_schema   JSONB,
    -- The action runs a workflow (workflow_definition.action points here).
    is_workflow  BOOLEAN     NOT NULL DEFAULT false,
    -- Created for one execution from the API, not installed from a pack.
    is_adhoc     BOOLEAN     NOT NULL DEFAULT false,
    tags         TEXT[]      NOT NULL DEFAULT '{}',
    created      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT action_ref_unique UNIQUE (ref),
    CONSTRAINT action_ref_format CHECK (ref ~ '^[a-z0-9_-]+\.[a-z0-9_-]+$'),
    CONSTRAINT action_pack_ref_matches CHECK (split_part(ref, '.', 1) = pack_ref)
);

COMMENT ON TABLE action IS 'Operations the platform can run, each in a runtime';

CREATE INDEX idx_action_pack ON action (pack);
CREATE INDEX idx_action_runtime ON action (runtime);
CREATE INDEX idx_action_is_workflow ON action (is_workflow) WHERE is_workflow;
CREATE INDEX idx_action_param_schema ON action USING GIN (param_schema);
CREATE INDEX idx_action_tags ON action USING GIN (tags);

CREATE TRIGGER action_updated
    BEFORE UPDATE ON action
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();

-- ---------------------------------------------------------------------------
-- sensor
-- ---------------------------------------------------------------------------

CREATE TABLE sensor (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ref          TEXT        NOT NULL,
    pack         BIGINT      REFERENCES pack (id) ON DELETE CASCADE,
    pack_ref     TEXT,
    label        TEXT        NOT NULL,
    description  TEXT,
    entrypoint   TEXT        NOT NULL,
    -- A sensor cannot run without its runtime: it goes with it.
    runtime      BIGINT      NOT NULL REFERENCES runtime (id) ON DELETE CASCADE,
    runtime_ref  TEXT        NOT NULL,
    -- The trigger it fires (foreign key added with the trigger table).
    trigger      BIGINT      NOT NULL,
    trigger_ref  TEXT        NOT NULL,
    enabled      BOOLEAN     NOT NULL DEFAULT true,
    is_adhoc     BOOLEAN     NOT NULL DEFAULT false,
    param_schema JSONB,
    config       JSONB       NOT NULL DEFAULT '{}'::jsonb,
    created      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT sensor_ref_unique UNIQUE (ref),
    CONSTRAINT sensor_ref_format CHECK (ref ~ '^[a-z0-9_-]+\.[a-z0-9_-]+$')
);

COMMENT ON TABLE sensor IS 'Monitors that watch for events and fire triggers';

CREATE INDEX idx_sensor_pack ON sensor (pack);
CREATE INDEX idx_sensor_runtime ON sensor (runtime);
CREATE INDEX idx_sensor_trigger ON sensor (trigger);
CREATE INDEX idx_sensor_enabled ON sensor (enabled) WHERE enabled;
CREATE INDEX idx_sensor_config ON sensor USING GIN (config);

CREATE TRIGGER sensor_updated
    BEFORE UPDATE ON sensor
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();

-- ---------------------------------------------------------------------------
-- policy
-- ---------------------------------------------------------------------------

CREATE TABLE policy (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ref         TEXT               NOT NULL,
    pack        BIGINT             REFERENCES pack (id) ON DELETE CASCADE,
    pack_ref    TEXT,
    -- The action it limits; a policy for a deleted action goes with it.
    action      BIGINT             REFERENCES action (id) ON DELETE CASCADE,
    action_ref  TEXT,
    -- Execution parameters whose values partition the limit.
    parameters  TEXT[]             NOT NULL DEFAULT '{}',
    method      policy_method_enum NOT NULL,
    threshold   INTEGER            NOT NULL,
    name        TEXT               NOT NULL,
    description TEXT,
    tags        TEXT[]             NOT NULL DEFAULT '{}',
    created     TIMESTAMPTZ        NOT NULL DEFAULT now(),
    updated     TIMESTAMPTZ        NOT NULL DEFAULT now(),
    CONSTRAINT policy_ref_unique UNIQUE (ref),
    CONSTRAINT policy_ref_format CHECK (ref ~ '^[a-z0-9_-]+\.[a-z0-9_-]+$'),
    CONSTRAINT policy_threshold_positive CHECK (threshold > 0)
);

COMMENT ON TABLE policy IS 'Concurrency and rate limits on actions';

CREATE INDEX idx_policy_pack ON policy (pack);
CREATE INDEX idx_policy_action ON policy (action);

CREATE TRIGGER policy_updated
    BEFORE UPDATE ON policy
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();
