-- Version 9: a job keeps the W3C trace context (traceparent) its submitter gave, to hand to the
-- workers that run it and the listeners that hear of it.
alter table muster_job add column traceparent varchar(55);
