-- Version 7: keys on probation lease spot-checks first, so the waiting spot-checks have an index
-- of their own; without it a newcomer's lease would walk the whole queue when none waits. (On
-- PostgreSQL a partial index as small as the waiting spot-checks; H2 has no partial indexes.)
create index muster_job_spot_ready on muster_job ${spotReadyIndex};

-- The spot-checks of a job, found when the job loses its acceptance and their known answer with it.
create index muster_job_spot_source on muster_job ${spotSourceIndex};
