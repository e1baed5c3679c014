-- Version 10 (SQLite as the others): the allowlist of a trusted pool lives in the store, so that
-- keys added or removed while the pool runs survive a restart.
create table muster_allowed_key (
    worker_id  varchar(32) primary key,
    public_key blob        not null
);
