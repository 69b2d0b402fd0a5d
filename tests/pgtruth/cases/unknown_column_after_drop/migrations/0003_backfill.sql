UPDATE users SET name = email;
