ALTER TABLE orders_202401 SET (fillfactor = 90);
