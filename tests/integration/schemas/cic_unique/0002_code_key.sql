CREATE UNIQUE INDEX CONCURRENTLY codes_code_key ON codes (code);
