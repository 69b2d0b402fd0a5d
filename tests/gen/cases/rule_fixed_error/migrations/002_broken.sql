-- `--severity syntax=off` (see ../command) cannot hide this: [syntax] is
-- a fixed rule, and its errors mark input migc cannot compile.
CREATE TABLE session (id bigint PRIMARY KEY,);
