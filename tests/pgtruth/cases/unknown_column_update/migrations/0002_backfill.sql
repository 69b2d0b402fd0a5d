UPDATE users SET nickname = name;
