-- Version 7 for SQLite: keys on probation lease spot-checks first, so the waiting spot-checks have
-- an index of their own, partial like PostgreSQL's; without it a newcomer's lease would walk the
-- whole queue when none waits.
create index muster_job_spot_ready on muster_job (queued, priority desc, tag, id) where spot_source is not null;

-- The spot-checks of a job, found when the job loses its acceptance and their known answer with it.
create index muster_job_spot_source on muster_job (spot_source) where spot_source is not null;
