UPDATE users SET name = crypt('pw', gen_salt('bf'));
