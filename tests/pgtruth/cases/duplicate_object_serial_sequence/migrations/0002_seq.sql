CREATE SEQUENCE orders_id_seq;
