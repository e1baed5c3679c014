-- Version 8 for SQLite: operators' status pages count the unfinished jobs by type and requirement
-- class every few seconds, so those jobs have an index of their own, partial like PostgreSQL's;
-- without it each count would read the whole history.
create index muster_job_open on muster_job (state, type, class_id, submitted_ns) where state in ('QUEUED', 'RUNNING');

-- Owners' public pages read the daily credit of one owner and of its workers: by name first.
create index muster_tally_name on muster_tally (scope, name, day_no);
