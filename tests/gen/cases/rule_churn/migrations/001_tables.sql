-- Fires [churn] (a note, reported here at the CREATE): account is
-- altered by 5 later migrations (002 to 006).
CREATE TABLE account (id bigint PRIMARY KEY);
-- Near-miss: profile is altered by only 4 later migrations (002 to 005;
-- two ALTERs in one migration count once, and this migration's own ALTER
-- does not count).
CREATE TABLE profile (id bigint PRIMARY KEY);
ALTER TABLE profile ADD COLUMN bio text;
