DROP SEQUENCE t_id_seq;
