-- migc:allow squash-data every database has the role already
CREATE ROLE app_writer NOLOGIN;
