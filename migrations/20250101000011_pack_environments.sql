-- Pack environments: for each pack and runtime it needs, the environment
-- installed for it (a virtualenv, node_modules, ...) and its state. How to
-- build one is in pack.installers.

CREATE TABLE pack_environment (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- An environment belongs to its pack and its runtime.
    pack          BIGINT                       NOT NULL REFERENCES pack (id) ON DELETE CASCADE,
    pack_ref      TEXT                         NOT NULL,
    runtime       BIGINT                       NOT NULL REFERENCES runtime (id) ON DELETE CASCADE,
    runtime_ref   TEXT                         NOT NULL,
    env_path      TEXT                         NOT NULL,
    status        pack_environment_status_enum NOT NULL DEFAULT 'pending',
    installed_at  TIMESTAMPTZ,
    last_verified TIMESTAMPTZ,
    install_log   TEXT,
    install_error TEXT,
    metadata      JSONB                        NOT NULL DEFAULT '{}'::jsonb,
    created       TIMESTAMPTZ                  NOT NULL DEFAULT now(),
    updated       TIMESTAMPTZ                  NOT NULL DEFAULT now(),
    CONSTRAINT pack_environment_pack_runtime_unique UNIQUE (pack, runtime),
    CONSTRAINT pack_environment_ready_installed CHECK (
        status <> 'ready' OR installed_at IS NOT NULL
    )
);

COMMENT ON TABLE pack_environment IS 'Installed environments of packs, one per runtime';

CREATE INDEX idx_pack_environment_runtime ON pack_environment (runtime);
CREATE INDEX idx_pack_environment_status ON pack_environment (status);

CREATE TRIGGER pack_environment_updated
    BEFORE UPDATE ON pack_environment
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();
