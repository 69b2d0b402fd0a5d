CREATE TYPE ticket_state AS ENUM ('open', 'closed');
CREATE TABLE ticket (id bigint PRIMARY KEY, state ticket_state NOT NULL);
INSERT INTO ticket VALUES (1, 'open');
