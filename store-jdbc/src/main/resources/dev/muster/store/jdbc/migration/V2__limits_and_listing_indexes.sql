-- Version 2: the schema agrees with the SPI's table of limits (dev.muster.spi.Limits), and jobs
-- are listed through indexes instead of a bounded scan.

-- Limits.MEDIA_TYPE and Limits.CLIENT_BUILD allow 200 characters; version 1 held 128, so a longer
-- value the API accepted failed in the store. Widening a varchar is a catalogue change on both
-- databases; no row is rewritten.
alter table muster_job alter column media_type set data type varchar(200);
alter table muster_worker alter column client_build set data type varchar(200);

-- Listing jobs by submitter or by state walks these in id order, so a page is short only at the
-- end of the matches, however many other jobs lie between them.
create index muster_job_by_submitter on muster_job (submitter, id);
create index muster_job_by_state on muster_job (state, id);
