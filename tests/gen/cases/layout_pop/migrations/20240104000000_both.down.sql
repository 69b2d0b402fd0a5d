DROP INDEX accounts_id_note;
