-- Version 6: owner accounts, which workers prove they belong to with the account's secret.
-- Only the secret's SHA-256 is kept. (muster_owner stays what it was: a row to lock per owner
-- name while an owner-wide lease limit is checked, accounts or not.)
create table muster_owner_account (
    name        varchar(128)  primary key,
    secret_hash varchar(64)   not null,
    state       varchar(16)   not null,
    reason      varchar(1000) not null,
    created_ns  bigint        not null
);

-- Bans and taints reach every key of an owner.
create index muster_worker_owner on muster_worker (owner, id);
