-- But its errors stay: a COMMIT without BEGIN is a [transaction-control]
-- error whatever --severity says.
CREATE TABLE c (id int);
COMMIT;
