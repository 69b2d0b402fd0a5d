-- owner: ${owner}
CREATE TABLE c (id int);
