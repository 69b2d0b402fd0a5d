-- long_names: a name over 63 bytes, which the server truncates with a
-- NOTICE while it parses (notices.sh).
CREATE TABLE long_names_table_whose_name_is_longer_than_sixty_three_bytes_all (id integer);
