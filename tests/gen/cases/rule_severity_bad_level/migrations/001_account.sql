-- Never read: the command line is rejected first (see ../command).
CREATE TABLE account (id bigint PRIMARY KEY);
CREATE INDEX account_id ON account (id);
