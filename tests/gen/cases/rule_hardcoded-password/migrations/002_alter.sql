-- Fires: ALTER ROLE ... PASSWORD with a literal, in an ENCRYPTED
-- spelling too.
ALTER ROLE app_reader ENCRYPTED PASSWORD 'md5c0ffee';

-- Near-miss: ALTER ROLE ... PASSWORD NULL removes the password.
ALTER ROLE app_writer PASSWORD NULL;
