CREATE TABLE note (id bigint PRIMARY KEY, body text);

-- Near-miss: this allow silences the [blocking-index] warning of the
-- statement after it, so it is used.
-- migc:allow blocking-index account holds a few hundred rows
CREATE INDEX account_email ON account (email);

-- Fires [unused-allow] (at the directive): the statement after it drops
-- nothing, so no [destructive] finding is there to silence.
-- migc:allow destructive the old column is gone already
CREATE INDEX note_body ON note (body);
