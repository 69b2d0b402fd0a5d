-- Workflows: definitions (a graph of tasks, run by an action) and the state
-- of each run. A task of a run is an execution row whose workflow_task
-- holds the task's state: no table of its own.

-- ---------------------------------------------------------------------------
-- workflow_definition
-- ---------------------------------------------------------------------------

CREATE TABLE workflow_definition (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ref          TEXT        NOT NULL,
    pack         BIGINT      NOT NULL REFERENCES pack (id) ON DELETE CASCADE,
    pack_ref     TEXT        NOT NULL,
    label        TEXT        NOT NULL,
    description  TEXT,
    version      TEXT        NOT NULL,
    param_schema JSONB,
    out_schema   JSONB,
    -- The parsed workflow: tasks, transitions, variables.
    definition   JSONB       NOT NULL,
    -- The action that runs it (is_workflow); kept when the action goes.
    action       BIGINT      REFERENCES action (id) ON DELETE SET NULL,
    action_ref   TEXT,
    tags         TEXT[]      NOT NULL DEFAULT '{}',
    enabled      BOOLEAN     NOT NULL DEFAULT true,
    created      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT workflow_definition_ref_unique UNIQUE (ref),
    CONSTRAINT workflow_definition_ref_format CHECK (ref ~ '^[a-z0-9_-]+\.[a-z0-9_-]+$'),
    CONSTRAINT workflow_definition_version_semver CHECK (
        version ~ '^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$'
    )
);

COMMENT ON TABLE workflow_definition IS 'Workflows: graphs of tasks, each an action';

CREATE INDEX idx_workflow_definition_pack ON workflow_definition (pack);
CREATE INDEX idx_workflow_definition_action ON workflow_definition (action);
CREATE INDEX idx_workflow_definition_definition ON workflow_definition USING GIN (definition);
CREATE INDEX idx_workflow_definition_tags ON workflow_definition USING GIN (tags);

CREATE TRIGGER workflow_definition_updated
    BEFORE UPDATE ON workflow_definition
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();

-- The execution table of the previous migration names the definition a
-- workflow run follows; the key needed this table first.
-- migc:allow constraint-not-valid execution was created empty one migration earlier in this same first release; no row can exist to scan
ALTER TABLE execution
    ADD CONSTRAINT execution_workflow_def_fkey
    FOREIGN KEY (workflow_def) REFERENCES workflow_definition (id) ON DELETE SET NULL;

-- ---------------------------------------------------------------------------
-- workflow_execution
-- ---------------------------------------------------------------------------

CREATE TABLE workflow_execution (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The run's own execution row; the state goes with it.
    execution       BIGINT                NOT NULL UNIQUE REFERENCES execution (id) ON DELETE CASCADE,
    workflow_def    BIGINT                NOT NULL REFERENCES workflow_definition (id) ON DELETE CASCADE,
    current_tasks   TEXT[]                NOT NULL DEFAULT '{}',
    completed_tasks TEXT[]                NOT NULL DEFAULT '{}',
    failed_tasks    TEXT[]                NOT NULL DEFAULT '{}',
    skipped_tasks   TEXT[]                NOT NULL DEFAULT '{}',
    variables       JSONB                 NOT NULL DEFAULT '{}'::jsonb,
    task_graph      JSONB                 NOT NULL DEFAULT '{}'::jsonb,
    status          execution_status_enum NOT NULL DEFAULT 'requested',
    error_message   TEXT,
    paused          BOOLEAN               NOT NULL DEFAULT false,
    pause_reason    TEXT,
    created         TIMESTAMPTZ           NOT NULL DEFAULT now(),
    updated         TIMESTAMPTZ           NOT NULL DEFAULT now()
);

COMMENT ON TABLE workflow_execution IS 'State of one workflow run';

CREATE INDEX idx_workflow_execution_workflow_def ON workflow_execution (workflow_def);
CREATE INDEX idx_workflow_execution_status ON workflow_execution (status);
CREATE INDEX idx_workflow_execution_paused ON workflow_execution (paused) WHERE paused;
CREATE INDEX idx_workflow_execution_variables ON workflow_execution USING GIN (variables);

CREATE TRIGGER workflow_execution_updated
    BEFORE UPDATE ON workflow_execution
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();
