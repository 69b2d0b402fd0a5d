CREATE TYPE ticket_state AS ENUM ('open', 'closed');
CREATE TABLE ticket (
    id bigint PRIMARY KEY,
    title text NOT NULL,
    state ticket_state NOT NULL DEFAULT 'open'
);
