CREATE TABLE b (id int);
    --migc:allow-all
