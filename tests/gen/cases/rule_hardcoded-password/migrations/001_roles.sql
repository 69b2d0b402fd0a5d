-- Fires [hardcoded-password] (a warning): the password is embedded in
-- every binary and kept in the repository (reported at PASSWORD).
CREATE ROLE app_writer LOGIN PASSWORD 'hunter2';

-- Near-miss: PASSWORD NULL sets no password.
CREATE ROLE app_reader LOGIN PASSWORD NULL;

-- Near-miss: a role without a password (set outside migrations).
CREATE ROLE app_admin NOLOGIN;
