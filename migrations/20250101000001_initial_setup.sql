-- Initial setup: enum types shared by the whole platform schema and the
-- trigger function that keeps every table's "updated" column current.
-- No extensions are needed: identity columns replace generated UUIDs.

-- ---------------------------------------------------------------------------
-- Workers
-- ---------------------------------------------------------------------------

-- Where a worker process runs.
CREATE TYPE worker_type_enum AS ENUM (
    'local',
    'remote',
    'container'
);

-- Liveness of a registered worker, as reported by its heartbeat.
CREATE TYPE worker_status_enum AS ENUM (
    'active',
    'busy',
    'inactive',
    'error'
);

-- What kind of work a worker accepts.
CREATE TYPE worker_role_enum AS ENUM (
    'action',
    'sensor',
    'hybrid'
);

-- ---------------------------------------------------------------------------
-- Rule processing and execution
-- ---------------------------------------------------------------------------

-- Life of an enforcement (a rule matched an event).
CREATE TYPE enforcement_status_enum AS ENUM (
    'created',
    'processed',
    'disabled'
);

-- How an enforcement combines its rule's conditions.
CREATE TYPE enforcement_condition_enum AS ENUM (
    'any',
    'all'
);

-- Life of an execution, from request to a final state.
CREATE TYPE execution_status_enum AS ENUM (
    'requested',
    'scheduling',
    'scheduled',
    'running',
    'completed',
    'failed',
    'canceling',
    'cancelled',
    'timeout',
    'abandoned'
);

-- Life of an inquiry (a question put to a human during an execution).
CREATE TYPE inquiry_status_enum AS ENUM (
    'pending',
    'responded',
    'timeout',
    'cancelled'
);

-- What a concurrency policy does with work over its limit.
CREATE TYPE policy_method_enum AS ENUM (
    'cancel',
    'enqueue'
);

-- ---------------------------------------------------------------------------
-- Ownership, notifications, artifacts, pack environments
-- ---------------------------------------------------------------------------

-- Kind of object that owns a key (secret or configuration value).
CREATE TYPE owner_type_enum AS ENUM (
    'system',
    'identity',
    'pack',
    'action',
    'sensor'
);

-- Delivery state of a notification.
CREATE TYPE notification_status_enum AS ENUM (
    'created',
    'queued',
    'processing',
    'error'
);

-- Kind of output an execution stores as an artifact.
CREATE TYPE artifact_type_enum AS ENUM (
    'file_binary',
    'file_datatable',
    'file_image',
    'file_text',
    'progress',
    'url',
    'other'
);

-- Unit of an artifact's retention limit.
CREATE TYPE artifact_retention_enum AS ENUM (
    'versions',
    'days',
    'hours',
    'minutes'
);

-- State of a pack's installed runtime environment (virtualenv, node_modules...).
CREATE TYPE pack_environment_status_enum AS ENUM (
    'pending',
    'installing',
    'ready',
    'failed',
    'outdated'
);

-- ---------------------------------------------------------------------------
-- Shared trigger function
-- ---------------------------------------------------------------------------

-- Attached BEFORE UPDATE to every table that has an "updated" column.
CREATE FUNCTION update_updated_column()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated := now();
    RETURN NEW;
END;
$$;

COMMENT ON FUNCTION update_updated_column() IS
    'BEFORE UPDATE row trigger: stamps the row''s updated column with now()';
