-- Packs (installable bundles of automation content) and the runtimes
-- their actions and sensors execute in. Runtime rows are not inserted
-- here: they come from packs/core/runtimes/*.yaml.

-- ---------------------------------------------------------------------------
-- pack
-- ---------------------------------------------------------------------------

CREATE TABLE pack (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ref          TEXT        NOT NULL,
    label        TEXT        NOT NULL,
    description  TEXT,
    version      TEXT        NOT NULL,
    -- JSON Schema describing the pack's configuration, and the values.
    conf_schema  JSONB       NOT NULL DEFAULT '{}'::jsonb,
    config       JSONB       NOT NULL DEFAULT '{}'::jsonb,
    meta         JSONB       NOT NULL DEFAULT '{}'::jsonb,
    tags         TEXT[]      NOT NULL DEFAULT '{}',
    -- Refs of the runtimes the pack's content needs (e.g. 'core.python').
    runtime_deps TEXT[]      NOT NULL DEFAULT '{}',
    -- How to build the pack's environments, keyed by runtime.
    installers   JSONB       NOT NULL DEFAULT '{}'::jsonb,
    -- True for packs shipped with the platform.
    is_standard  BOOLEAN     NOT NULL DEFAULT false,
    created      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT pack_ref_unique UNIQUE (ref),
    CONSTRAINT pack_ref_format CHECK (ref ~ '^[a-z][a-z0-9_-]*$'),
    -- MAJOR.MINOR.PATCH with optional pre-release and build parts.
    CONSTRAINT pack_version_semver CHECK (
        version ~ '^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$'
    )
);

COMMENT ON TABLE pack IS 'Installable bundles of actions, sensors, triggers, rules and workflows';

CREATE INDEX idx_pack_tags ON pack USING GIN (tags);
CREATE INDEX idx_pack_runtime_deps ON pack USING GIN (runtime_deps);
CREATE INDEX idx_pack_is_standard ON pack (is_standard) WHERE is_standard;
CREATE INDEX idx_pack_created ON pack (created DESC);

CREATE TRIGGER pack_updated
    BEFORE UPDATE ON pack
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();

-- ---------------------------------------------------------------------------
-- runtime
-- ---------------------------------------------------------------------------

CREATE TABLE runtime (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- "<pack>.<name>", e.g. 'core.python'.
    ref              TEXT        NOT NULL,
    pack             BIGINT      REFERENCES pack (id) ON DELETE CASCADE,
    pack_ref         TEXT,
    description      TEXT,
    name             TEXT        NOT NULL,
    -- Supported platforms and how to verify an interpreter is present
    -- (the "verification" member is indexed below).
    distributions    JSONB       NOT NULL DEFAULT '{}'::jsonb,
    installation     JSONB,
    -- How to invoke code in this runtime (interpreter, args, file extension...).
    execution_config JSONB       NOT NULL DEFAULT '{}'::jsonb,
    aliases          TEXT[]      NOT NULL DEFAULT '{}',
    versions         JSONB,
    created          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated          TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT runtime_ref_unique UNIQUE (ref),
    CONSTRAINT runtime_ref_format CHECK (ref ~ '^[a-z0-9_-]+\.[a-z0-9_-]+$'),
    CONSTRAINT runtime_pack_ref_matches CHECK (
        pack_ref IS NULL OR split_part(ref, '.', 1) = pack_ref
    )
);

COMMENT ON TABLE runtime IS 'Execution environments for actions and sensors (python, nodejs, shell, ...)';

CREATE INDEX idx_runtime_pack ON runtime (pack);
CREATE INDEX idx_runtime_pack_ref ON runtime (pack_ref);
CREATE INDEX idx_runtime_name ON runtime(name);
CREATE INDEX idx_runtime_aliases ON runtime USING GIN (aliases);
CREATE INDEX idx_runtime_verification ON runtime USING GIN ((distributions->'verification'));

CREATE TRIGGER runtime_updated
    BEFORE UPDATE ON runtime
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();
