ALTER SEQUENCE users_id_seq RESTART WITH 1000;
SELECT setval('users_id_seq', 1000);
