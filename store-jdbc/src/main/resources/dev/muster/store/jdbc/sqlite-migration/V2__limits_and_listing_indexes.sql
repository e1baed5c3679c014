-- Version 2 for SQLite: jobs are listed through indexes instead of a bounded scan. (The columns
-- that version 2 widens on PostgreSQL and H2 were declared at their new widths in version 1.)

-- Listing jobs by submitter or by state walks these in id order, so a page is short only at the
-- end of the matches, however many other jobs lie between them.
create index muster_job_by_submitter on muster_job (submitter, id);
create index muster_job_by_state on muster_job (state, id);
