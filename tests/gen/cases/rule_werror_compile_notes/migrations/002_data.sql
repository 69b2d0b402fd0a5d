-- Near-miss of rule_werror_compile: with --werror (see ../command) notes
-- still print but fail nothing: exit 0, both files written.
INSERT INTO plan (id, name) VALUES (1, 'free');
