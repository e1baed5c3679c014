-- Muster store schema, version 1, for SQLite: the tables of migration/V1__schema.sql (PostgreSQL
-- and H2), spelled for SQLite. SQLite keeps declared types as affinities and does not enforce
-- varchar widths; they are declared as on the other databases, at the widths of version 2, and the
-- API's table of limits bounds the values.
-- Instants are bigint nanoseconds since the epoch, so that what the coordinator's clock says is
-- exactly what comes back. Names match Limits in the SPI.

create table muster_worker (
    id            varchar(32)  primary key,
    public_key    blob        not null,
    owner         varchar(128) not null,
    cores         integer      not null,
    memory_mb     bigint       not null,
    gpu           boolean      not null,
    labels        varchar(4200) not null,
    client_build  varchar(200) not null,
    max_leases    integer      not null,
    state         varchar(16)  not null,
    registered_ns bigint       not null,
    last_seen_ns  bigint       not null
);
create index muster_worker_silent on muster_worker (state, last_seen_ns);

-- Exact requirement sets ("classes"): pools have few, and leasing matches a worker against them
-- once per lease instead of once per job.
create table muster_class (
    id        integer primary key,
    cores     integer      not null,
    memory_mb bigint       not null,
    gpu       boolean      not null,
    labels    varchar(4200) not null,
    constraint muster_class_key unique (cores, memory_mb, gpu, labels)
);
create table muster_class_label (
    class_id integer      not null,
    label    varchar(128) not null,
    primary key (class_id, label)
);

-- Round-robin between submitters: each job gets a tag, its submitter's previous tag plus one
-- (or the head of the queue's tag, if the submitter has fallen behind); the queue is served in
-- tag order within a priority.
-- One row per owner, locked while an owner-wide lease limit is checked.
create table muster_owner (
    name varchar(128) primary key
);

create table muster_submitter (
    name     varchar(128) primary key,
    last_tag bigint       not null
);

-- Ids come from a counter row (SQLite has no sequences): a batch adds its size and takes the ids
-- below the new value. The counter only grows, so an id is never handed out twice.
create table muster_job_counter (
    id      integer not null primary key check (id = 1),
    last_id bigint  not null
);
insert into muster_job_counter (id, last_id) values (1, 0);
-- "integer primary key" makes the id SQLite's row id (64 bits), so the table is stored in id order.
create table muster_job (
    id              integer      primary key,
    submitter       varchar(128) not null,
    dedup_key       varchar(210) not null,
    type            varchar(64)  not null,
    payload         blob        not null,
    media_type      varchar(200) not null,
    seed            bigint       not null,
    priority        integer      not null,
    class_id        integer      not null,
    timeout_ms      bigint       not null,
    max_attempts    integer      not null,
    idempotency_key varchar(200),
    digest          varchar(64)  not null,
    payload_digest  varchar(64)  not null,
    state           varchar(16)  not null,
    replicas_wanted integer      not null,
    attempts        integer      not null,
    open_replicas   integer      not null,
    next_replica    integer      not null,
    queued          boolean      not null,
    tag             bigint       not null,
    submitted_ns    bigint       not null,
    finished_ns     bigint,
    accepted_digest varchar(64),
    failure_reason  varchar(2000),
    constraint muster_job_dedup unique (submitter, dedup_key)
);
-- Waiting jobs lead the leasing index, as on H2; finished jobs are indexed for purging only.
create index muster_job_ready on muster_job (queued, priority desc, tag, id);
create index muster_job_finished on muster_job (finished_ns) where finished_ns is not null;

-- One row per replica handed out: a live lease (deadline set) or an answer (deadline null).
-- The unique constraints are the rules "never two replicas of one job to one worker" and, for
-- leases that ask for it, "never two to one owner"; expired and released leases are deleted.
create table muster_replica (
    job_id         bigint       not null,
    replica        integer      not null,
    worker_id      varchar(32)  not null,
    owner          varchar(128) not null,
    owner_key      varchar(128),
    leased_ns      bigint       not null,
    deadline_ns    bigint,
    answered_ns    bigint,
    result_digest  varchar(64),
    result         blob,
    metadata       text,
    valid          boolean,
    invalid_reason varchar(1000),
    claimed_credit double precision,
    primary key (job_id, replica),
    constraint muster_replica_worker_once unique (job_id, worker_id),
    constraint muster_replica_owner_once unique (job_id, owner_key)
);
create index muster_replica_worker on muster_replica (worker_id, deadline_ns);
create index muster_replica_owner on muster_replica (owner, deadline_ns);
create index muster_replica_deadline on muster_replica (deadline_ns);

create table muster_credit (
    job_id    bigint       not null,
    replica   integer      not null,
    worker_id varchar(32)  not null,
    owner     varchar(128) not null,
    amount    double precision not null,
    at_ns     bigint       not null,
    -- Whether the leaderboard totals include this entry yet; see muster_tally.
    folded    boolean      not null default false,
    primary key (job_id, replica)
);
create index muster_credit_unfolded on muster_credit (job_id) where folded = false;

-- Leaderboard totals per worker ('W') and owner ('O'): one all-time row (day_no = -1) and one row
-- per UTC day, so a leaderboard reads totals rather than summing every credit. Reports only
-- insert credit entries; entries are folded into the totals in batches (before every leaderboard
-- read and purge), so that concurrent reports never queue on an owner's total.
create table muster_tally (
    scope   char(1)      not null,
    day_no  integer      not null,
    name    varchar(128) not null,
    credit  double precision not null,
    results bigint       not null,
    primary key (scope, day_no, name)
);
create index muster_tally_top on muster_tally (scope, day_no, credit desc, name);

create table muster_rejection (
    -- AUTOINCREMENT: ids are never reused, so the largest is the number of rejections ever logged.
    id        integer primary key autoincrement,
    at_ns     bigint       not null,
    worker_id varchar(32),
    job_id    bigint,
    replica   integer      not null,
    reason    varchar(32)  not null,
    detail    varchar(2000) not null
);

-- Counts for the pool summary, kept as sharded deltas so that concurrent transactions rarely
-- wait on the same row: a count is the sum of its shards.
create table muster_count (
    name  varchar(16) not null,
    shard integer     not null,
    n     bigint      not null,
    primary key (name, shard)
);
with recursive s(shard) as (select 0 union all select shard + 1 from s where shard < 15),
     c(name) as (values ('QUEUED'), ('RUNNING'), ('ACCEPTED'), ('FAILED'), ('CANCELLED'), ('LEASES'))
insert into muster_count (name, shard, n)
select c.name, s.shard, 0 from c cross join s;
