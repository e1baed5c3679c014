-- Version 8: operators' status pages count the unfinished jobs by type and requirement class
-- every few seconds, so those jobs have an index of their own; without it each count would read
-- the whole history. (On PostgreSQL a partial index as small as the unfinished jobs; H2 has no
-- partial indexes.)
create index muster_job_open on muster_job ${openIndex};

-- Owners' public pages read the daily credit of one owner and of its workers: by name first.
create index muster_tally_name on muster_tally (scope, name, day_no);
