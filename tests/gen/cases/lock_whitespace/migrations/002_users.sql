-- Released: users and the first one.
-- (reformatted after release: same tokens)
create table users (id bigint primary key,
                    name text not null default 'anonymous');
insert into users (id, name)
values (1, 'admin');  -- the first user
