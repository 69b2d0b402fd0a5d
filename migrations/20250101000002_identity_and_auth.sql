-- Identities (users and service accounts), permission sets and the
-- assignments that link them.

-- ---------------------------------------------------------------------------
-- identity
-- ---------------------------------------------------------------------------

CREATE TABLE identity (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    login         TEXT        NOT NULL,
    display_name  TEXT,
    -- NULL for accounts that cannot log in with a password (e.g. services).
    password_hash TEXT,
    attributes    JSONB       NOT NULL DEFAULT '{}'::jsonb,
    created       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated       TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT identity_login_unique UNIQUE (login),
    CONSTRAINT identity_login_not_blank CHECK (btrim(login) <> '')
);

COMMENT ON TABLE identity IS 'Users and service accounts';

CREATE INDEX idx_identity_created ON identity (created DESC);
CREATE INDEX idx_identity_attributes ON identity USING GIN (attributes);

CREATE TRIGGER identity_updated
    BEFORE UPDATE ON identity
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();

-- ---------------------------------------------------------------------------
-- permission_set
-- ---------------------------------------------------------------------------

CREATE TABLE permission_set (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- "<namespace>.<name>", lower case.
    ref         TEXT        NOT NULL,
    label       TEXT,
    description TEXT,
    -- List of grant objects understood by the API's authorizer.
    grants      JSONB       NOT NULL DEFAULT '[]'::jsonb,
    created     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated     TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT permission_set_ref_unique UNIQUE (ref),
    CONSTRAINT permission_set_ref_format CHECK (ref ~ '^[a-z0-9_-]+\.[a-z0-9_-]+$'),
    CONSTRAINT permission_set_grants_is_array CHECK (jsonb_typeof(grants) = 'array')
);

COMMENT ON TABLE permission_set IS 'Named groups of permissions (roles)';

CREATE INDEX idx_permission_set_created ON permission_set (created DESC);

CREATE TRIGGER permission_set_updated
    BEFORE UPDATE ON permission_set
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();

-- ---------------------------------------------------------------------------
-- permission_assignment
-- ---------------------------------------------------------------------------

CREATE TABLE permission_assignment (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    identity BIGINT      NOT NULL REFERENCES identity (id) ON DELETE CASCADE,
    permset  BIGINT      NOT NULL REFERENCES permission_set (id) ON DELETE CASCADE,
    created  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT permission_assignment_unique UNIQUE (identity, permset)
);

COMMENT ON TABLE permission_assignment IS 'Which identity holds which permission set';

-- Lookups by identity use the unique (identity, permset) index;
-- this one serves lookups by permission set and its FK cascades.
CREATE INDEX idx_permission_assignment_permset ON permission_assignment (permset);

CREATE TRIGGER permission_assignment_updated
    BEFORE UPDATE ON permission_assignment
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();
