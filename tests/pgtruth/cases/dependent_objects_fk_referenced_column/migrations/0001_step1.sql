CREATE TABLE account (id bigint PRIMARY KEY, code text UNIQUE);
CREATE TABLE invoice (id bigint PRIMARY KEY, account_code text REFERENCES account (code));
