-- Version 5: what the open pool's trust policy keeps, and secrets coordinators share.

-- The standing of each worker key a trust policy judged (KeyTrust); a key without a row is a
-- newcomer. A ban also sets the worker's state; backtracked says its results were reconsidered.
create table muster_standing (
    worker_id   varchar(32)   primary key,
    passed      bigint        not null,
    strikes     integer       not null,
    banned_ns   bigint,
    ban_reason  varchar(2000) not null,
    backtracked boolean       not null,
    updated_ns  bigint
);
create index muster_standing_banned on muster_standing (backtracked, banned_ns);

-- A hidden spot-check repeats an accepted job (spot_source) whose digest is the right answer.
alter table muster_job add column spot_source bigint;
alter table muster_job add column spot_digest varchar(64);

-- A lease of a key the policy does not hold to account yet costs no attempt when it ends unanswered.
alter table muster_replica add column spares_attempt boolean default false not null;

-- Secrets the coordinators of one pool agree on: the first value kept under a name stays.
create table muster_secret (
    name   varchar(64) primary key,
    secret ${binary}  not null
);
