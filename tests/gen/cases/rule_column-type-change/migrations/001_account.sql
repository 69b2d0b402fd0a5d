CREATE TABLE account (
    id bigint PRIMARY KEY,
    code varchar(20) NOT NULL,
    name varchar(50),
    score integer,
    label varchar(40),
    seen_at timestamp(3),
    paid_at timestamptz(2),
    amount numeric(10,2),
    flags varbit(8),
    created_at timestamp,
    price numeric(10,2)
);
