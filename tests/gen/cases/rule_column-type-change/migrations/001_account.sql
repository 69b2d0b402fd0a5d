CREATE TABLE account (
    id bigint PRIMARY KEY,
    code varchar(20) NOT NULL,
    name varchar(50),
    score integer,
    label varchar(40)
);
