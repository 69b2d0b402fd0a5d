ALTER TYPE user_status ADD VALUE 'banned';
