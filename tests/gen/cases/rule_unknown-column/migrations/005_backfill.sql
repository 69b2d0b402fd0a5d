UPDATE account SET email = email_address;
-- "nickname" may have been added by the DO block: silent; "handle" fires
UPDATE account SET email = a.email FROM account a WHERE a.id = account.id
    RETURNING account.id, nickname, handle;
