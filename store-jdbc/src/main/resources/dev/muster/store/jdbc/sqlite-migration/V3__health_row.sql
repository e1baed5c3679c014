-- Version 3: a row of its own for the store's health check.
--
-- The check must commit a write (on a full disk H2 still passes reads). Until now it added zero
-- to a shard of muster_count, which lease and submit transactions lock too: on a busy PostgreSQL
-- the check waited behind them past its timeout and readiness reported a false outage. Nothing
-- but the health check writes this row.
create table muster_health (
    id         integer not null,
    checked_at bigint  not null,
    primary key (id)
);
insert into muster_health (id, checked_at) values (1, 0);
