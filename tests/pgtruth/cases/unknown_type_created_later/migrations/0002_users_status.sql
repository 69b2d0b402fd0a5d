ALTER TABLE users ADD COLUMN status user_status;
CREATE TYPE user_status AS ENUM ('active', 'suspended');
