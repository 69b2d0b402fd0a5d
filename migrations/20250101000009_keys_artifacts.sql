-- Keys (secrets and configuration values, owned by the system, an identity,
-- a pack, an action or a sensor) and artifacts (what executions produce).

-- ---------------------------------------------------------------------------
-- key
-- ---------------------------------------------------------------------------

CREATE TABLE key (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ref                 TEXT            NOT NULL,
    owner_type          owner_type_enum NOT NULL,
    -- The owner's ref, also kept for the system owner ('system').
    owner               TEXT,
    -- A key goes with its owner.
    owner_identity      BIGINT          REFERENCES identity (id) ON DELETE CASCADE,
    owner_pack          BIGINT          REFERENCES pack (id) ON DELETE CASCADE,
    owner_pack_ref      TEXT,
    owner_action        BIGINT          REFERENCES action (id) ON DELETE CASCADE,
    owner_action_ref    TEXT,
    owner_sensor        BIGINT          REFERENCES sensor (id) ON DELETE CASCADE,
    owner_sensor_ref    TEXT,
    name                TEXT            NOT NULL,
    encrypted           BOOLEAN         NOT NULL DEFAULT false,
    -- Which key encrypted value (so that keys can be rotated).
    encryption_key_hash TEXT,
    value               TEXT            NOT NULL,
    created             TIMESTAMPTZ     NOT NULL DEFAULT now(),
    updated             TIMESTAMPTZ     NOT NULL DEFAULT now(),
    CONSTRAINT key_ref_unique UNIQUE (ref),
    CONSTRAINT key_ref_format CHECK (ref ~ '^[a-z0-9_-]+(\.[a-z0-9_-]+)*$'),
    CONSTRAINT key_one_owner CHECK (
        num_nonnulls(owner_identity, owner_pack, owner_action, owner_sensor) <= 1
    ),
    CONSTRAINT key_encrypted_has_hash CHECK (NOT encrypted OR encryption_key_hash IS NOT NULL)
);

COMMENT ON TABLE key IS 'Secrets and configuration values, by owner';

CREATE INDEX idx_key_owner_type ON key (owner_type);
CREATE INDEX idx_key_owner_identity ON key (owner_identity);
CREATE INDEX idx_key_owner_pack ON key (owner_pack);
CREATE INDEX idx_key_owner_action ON key (owner_action);
CREATE INDEX idx_key_owner_sensor ON key (owner_sensor);

-- The owner column that is set must be the one owner_type names.
CREATE FUNCTION validate_key_owner()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF (NEW.owner_type = 'system' AND
            num_nonnulls(NEW.owner_identity, NEW.owner_pack,
                         NEW.owner_action, NEW.owner_sensor) <> 0)
       OR (NEW.owner_type = 'identity' AND NEW.owner_identity IS NULL)
       OR (NEW.owner_type = 'pack' AND NEW.owner_pack IS NULL)
       OR (NEW.owner_type = 'action' AND NEW.owner_action IS NULL)
       OR (NEW.owner_type = 'sensor' AND NEW.owner_sensor IS NULL) THEN
        RAISE EXCEPTION 'key %: owner_type % does not match its owner columns',
            NEW.ref, NEW.owner_type
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER key_validate_owner
    BEFORE INSERT OR UPDATE ON key
    FOR EACH ROW
    EXECUTE FUNCTION validate_key_owner();

CREATE TRIGGER key_updated
    BEFORE UPDATE ON key
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();

-- ---------------------------------------------------------------------------
-- artifact
-- ---------------------------------------------------------------------------

CREATE TABLE artifact (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ref              TEXT                    NOT NULL,
    scope            owner_type_enum         NOT NULL DEFAULT 'system',
    owner            TEXT                    NOT NULL DEFAULT '',
    type             artifact_type_enum      NOT NULL,
    retention_policy artifact_retention_enum NOT NULL DEFAULT 'versions',
    retention_limit  INTEGER                 NOT NULL DEFAULT 1,
    -- The execution that produced it; the artifact outlives it.
    execution        BIGINT                  REFERENCES execution (id) ON DELETE SET NULL,
    data             JSONB,
    created          TIMESTAMPTZ             NOT NULL DEFAULT now(),
    updated          TIMESTAMPTZ             NOT NULL DEFAULT now(),
    CONSTRAINT artifact_retention_limit_positive CHECK (retention_limit > 0)
);

COMMENT ON TABLE artifact IS 'Files, logs and progress that executions produce';

CREATE INDEX idx_artifact_ref ON artifact (ref);
CREATE INDEX idx_artifact_scope_owner ON artifact (scope, owner);
CREATE INDEX idx_artifact_execution ON artifact (execution);
CREATE INDEX idx_artifact_created ON artifact (created DESC);

CREATE TRIGGER artifact_updated
    BEFORE UPDATE ON artifact
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();
