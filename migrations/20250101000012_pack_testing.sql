-- Pack test results: each run of a pack's test suite (on install, on
-- upgrade, on request). Results are history: never updated, so no
-- "updated" column.

CREATE TABLE pack_test_execution (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pack           BIGINT       NOT NULL REFERENCES pack (id) ON DELETE CASCADE,
    pack_ref       TEXT         NOT NULL,
    pack_version   TEXT         NOT NULL,
    execution_time TIMESTAMPTZ  NOT NULL DEFAULT now(),
    -- 'install', 'update', 'manual', 'validation'
    trigger_reason TEXT         NOT NULL,
    total_tests    INTEGER      NOT NULL,
    passed         INTEGER      NOT NULL,
    failed         INTEGER      NOT NULL,
    skipped        INTEGER      NOT NULL,
    pass_rate      NUMERIC(5,4) NOT NULL,
    duration_ms    BIGINT       NOT NULL,
    -- Every suite's and test's outcome.
    result         JSONB        NOT NULL,
    created        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT pack_test_execution_counts CHECK (
        passed >= 0 AND failed >= 0 AND skipped >= 0
        AND total_tests = passed + failed + skipped
    ),
    CONSTRAINT pack_test_execution_pass_rate CHECK (pass_rate BETWEEN 0 AND 1),
    CONSTRAINT pack_test_execution_duration CHECK (duration_ms >= 0),
    CONSTRAINT pack_test_execution_version_semver CHECK (
        pack_version ~ '^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$'
    )
);

COMMENT ON TABLE pack_test_execution IS 'Runs of pack test suites and their results';

CREATE INDEX idx_pack_test_execution_pack_time
    ON pack_test_execution (pack, execution_time DESC);
CREATE INDEX idx_pack_test_execution_result ON pack_test_execution USING GIN (result);
