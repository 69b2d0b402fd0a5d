CREATE TABLE readings (id bigint PRIMARY KEY, value double precision NOT NULL);
INSERT INTO readings SELECT g, random() FROM generate_series(1, 200000) AS g;
