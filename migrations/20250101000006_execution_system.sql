-- Enforcements (a rule matched an event), executions (an action run, also
-- a workflow run and its tasks) and inquiries (a question an execution puts
-- to a person).

-- ---------------------------------------------------------------------------
-- enforcement
-- ---------------------------------------------------------------------------

CREATE TABLE enforcement (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- History: kept, with its refs, when the rule or event goes.
    rule        BIGINT                     REFERENCES rule (id) ON DELETE SET NULL,
    rule_ref    TEXT                       NOT NULL,
    trigger_ref TEXT                       NOT NULL,
    config      JSONB,
    event       BIGINT                     REFERENCES event (id) ON DELETE SET NULL,
    status      enforcement_status_enum    NOT NULL DEFAULT 'created',
    payload     JSONB                      NOT NULL DEFAULT '{}'::jsonb,
    condition   enforcement_condition_enum NOT NULL DEFAULT 'all',
    conditions  JSONB                      NOT NULL DEFAULT '[]'::jsonb,
    created     TIMESTAMPTZ                NOT NULL DEFAULT now(),
    updated     TIMESTAMPTZ                NOT NULL DEFAULT now(),
    CONSTRAINT enforcement_conditions_is_array CHECK (jsonb_typeof(conditions) = 'array')
);

COMMENT ON TABLE enforcement IS 'A rule that matched an event, and what came of it';

CREATE INDEX idx_enforcement_rule ON enforcement (rule);
CREATE INDEX idx_enforcement_event ON enforcement (event);
CREATE INDEX idx_enforcement_status ON enforcement (status);
CREATE INDEX idx_enforcement_created ON enforcement (created DESC);
CREATE INDEX idx_enforcement_payload ON enforcement USING GIN (payload);

CREATE TRIGGER enforcement_updated
    BEFORE UPDATE ON enforcement
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();

-- ---------------------------------------------------------------------------
-- execution
-- ---------------------------------------------------------------------------

CREATE TABLE execution (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    action        BIGINT                REFERENCES action (id) ON DELETE SET NULL,
    action_ref    TEXT                  NOT NULL,
    config        JSONB,
    -- The execution that started this one (a workflow's task runs).
    parent        BIGINT                REFERENCES execution (id) ON DELETE SET NULL,
    enforcement   BIGINT                REFERENCES enforcement (id) ON DELETE SET NULL,
    -- Who asked for it; NULL for executions a rule started.
    executor      BIGINT                REFERENCES identity (id) ON DELETE SET NULL,
    status        execution_status_enum NOT NULL DEFAULT 'requested',
    result        JSONB,
    -- A workflow run: its definition (foreign key added with the
    -- workflow_definition table) and, for a task of one, the task's state.
    is_workflow   BOOLEAN               NOT NULL DEFAULT false,
    workflow_def  BIGINT,
    workflow_task JSONB,
    created       TIMESTAMPTZ           NOT NULL DEFAULT now(),
    updated       TIMESTAMPTZ           NOT NULL DEFAULT now()
);

COMMENT ON TABLE execution IS 'Runs of actions, workflows and workflow tasks';

CREATE INDEX idx_execution_action ON execution (action);
CREATE INDEX idx_execution_action_ref ON execution (action_ref);
CREATE INDEX idx_execution_parent ON execution (parent);
CREATE INDEX idx_execution_enforcement ON execution (enforcement);
CREATE INDEX idx_execution_executor ON execution (executor);
CREATE INDEX idx_execution_status ON execution (status);
CREATE INDEX idx_execution_created ON execution (created DESC);
CREATE INDEX idx_execution_workflow_def ON execution (workflow_def)
    WHERE workflow_def IS NOT NULL;
CREATE INDEX idx_execution_workflow_task ON execution USING GIN (workflow_task)
    WHERE workflow_task IS NOT NULL;
CREATE INDEX idx_execution_result ON execution USING GIN (result);

CREATE TRIGGER execution_updated
    BEFORE UPDATE ON execution
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();

-- ---------------------------------------------------------------------------
-- inquiry
-- ---------------------------------------------------------------------------

CREATE TABLE inquiry (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- A question belongs to the execution that asked it.
    execution       BIGINT              NOT NULL REFERENCES execution (id) ON DELETE CASCADE,
    prompt          TEXT                NOT NULL,
    response_schema JSONB,
    assigned_to     BIGINT              REFERENCES identity (id) ON DELETE SET NULL,
    status          inquiry_status_enum NOT NULL DEFAULT 'pending',
    response        JSONB,
    timeout_at      TIMESTAMPTZ,
    responded_at    TIMESTAMPTZ,
    created         TIMESTAMPTZ         NOT NULL DEFAULT now(),
    updated         TIMESTAMPTZ         NOT NULL DEFAULT now(),
    CONSTRAINT inquiry_responded_when_answered CHECK (
        status <> 'responded' OR responded_at IS NOT NULL
    )
);

COMMENT ON TABLE inquiry IS 'Questions an execution waits on a person to answer';

CREATE INDEX idx_inquiry_execution ON inquiry (execution);
CREATE INDEX idx_inquiry_assigned_to ON inquiry (assigned_to);
CREATE INDEX idx_inquiry_pending_timeout ON inquiry (timeout_at)
    WHERE status = 'pending';

CREATE TRIGGER inquiry_updated
    BEFORE UPDATE ON inquiry
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();
