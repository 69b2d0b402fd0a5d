-- Near-miss: "nickname" may have been added by the DO block: silent.
COMMENT ON COLUMN account.nickname IS 'shown in the header';

-- Fires [unknown-column]: the DO block never mentioned "avatar".
COMMENT ON COLUMN account.avatar IS 'a URL';
