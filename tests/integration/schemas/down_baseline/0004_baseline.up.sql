-- migc:squashes 1..3
-- down_baseline: a baseline (it has a down script, which down must not
-- run: a squash cannot be undone), then a migration after it.
CREATE TABLE base_a (id integer PRIMARY KEY);
