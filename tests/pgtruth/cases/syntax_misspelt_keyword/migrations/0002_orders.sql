CREATE TABEL orders (id bigint PRIMARY KEY);
