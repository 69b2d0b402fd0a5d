DROP INDEX accounts_note;
