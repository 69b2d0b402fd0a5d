CREATE TABLE buckets (id text PRIMARY KEY);
