-- Workers (processes that run actions or sensors) and notifications (what
-- the API pushes to clients).

-- ---------------------------------------------------------------------------
-- worker
-- ---------------------------------------------------------------------------

CREATE TABLE worker (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name           TEXT               NOT NULL,
    worker_type    worker_type_enum   NOT NULL,
    worker_role    worker_role_enum   NOT NULL DEFAULT 'action',
    -- A worker of one runtime; kept, idle, when the runtime goes.
    runtime        BIGINT             REFERENCES runtime (id) ON DELETE SET NULL,
    host           TEXT,
    port           INTEGER            CHECK (port BETWEEN 1 AND 65535),
    status         worker_status_enum NOT NULL DEFAULT 'inactive',
    capabilities   JSONB              NOT NULL DEFAULT '{}'::jsonb,
    meta           JSONB              NOT NULL DEFAULT '{}'::jsonb,
    last_heartbeat TIMESTAMPTZ,
    created        TIMESTAMPTZ        NOT NULL DEFAULT now(),
    updated        TIMESTAMPTZ        NOT NULL DEFAULT now(),
    CONSTRAINT worker_name_unique UNIQUE (name)
);

COMMENT ON TABLE worker IS 'Processes that run actions, sensors, or both';

CREATE INDEX idx_worker_runtime ON worker (runtime);
CREATE INDEX idx_worker_status_role ON worker (status, worker_role);
CREATE INDEX idx_worker_last_heartbeat ON worker (last_heartbeat DESC);
CREATE INDEX idx_worker_capabilities ON worker USING GIN (capabilities);

CREATE TRIGGER worker_updated
    BEFORE UPDATE ON worker
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();

-- ---------------------------------------------------------------------------
-- notification
-- ---------------------------------------------------------------------------

CREATE TABLE notification (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- LISTEN channel the notification is sent on.
    channel     TEXT                     NOT NULL,
    entity_type TEXT                     NOT NULL,
    entity      TEXT                     NOT NULL,
    activity    TEXT                     NOT NULL,
    state       notification_status_enum NOT NULL DEFAULT 'created',
    content     JSONB,
    created     TIMESTAMPTZ              NOT NULL DEFAULT now(),
    updated     TIMESTAMPTZ              NOT NULL DEFAULT now(),
    CONSTRAINT notification_channel_not_blank CHECK (btrim(channel) <> '')
);

COMMENT ON TABLE notification IS 'Messages for clients, also sent with NOTIFY';

CREATE INDEX idx_notification_channel ON notification (channel);
CREATE INDEX idx_notification_entity ON notification (entity_type, entity);
CREATE INDEX idx_notification_state ON notification (state);
CREATE INDEX idx_notification_created ON notification (created DESC);

CREATE TRIGGER notification_updated
    BEFORE UPDATE ON notification
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();
