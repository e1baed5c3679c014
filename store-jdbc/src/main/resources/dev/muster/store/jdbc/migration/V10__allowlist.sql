-- Version 10: the allowlist of a trusted pool lives in the store, so that keys added or removed
-- while the pool runs survive a restart and are shared by the coordinators on one database.
create table muster_allowed_key (
    worker_id  varchar(32) primary key,
    public_key ${binary}   not null
);
