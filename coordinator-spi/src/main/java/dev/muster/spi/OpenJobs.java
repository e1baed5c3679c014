package dev.muster.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * Counts of the unfinished jobs of one job type that share one set of requirements: what an
 * operator reads as queue and work in progress.
 *
 * @param type              the job type
 * @param requirements      what these jobs need of a worker
 * @param queued            jobs waiting for a worker
 * @param running           jobs with a replica leased or a result awaiting agreement
 * @param awaitingAgreement running jobs that have at least one result already and wait for more
 * @param oldestQueued      when the longest-waiting queued job was submitted, or null if none is queued
 */
public record OpenJobs(String type, Requirements requirements, long queued, long running, long awaitingAgreement,
                       Instant oldestQueued) {
    /**
     * Checks the row.
     *
     * @param type              the job type; not null
     * @param requirements      what these jobs need of a worker; not null
     * @param queued            jobs waiting for a worker
     * @param running           jobs leased or awaiting agreement
     * @param awaitingAgreement running jobs with a result that wait for more
     * @param oldestQueued      submission time of the longest-waiting queued job, or null
     * @throws NullPointerException if the type or requirements are null
     */
    public OpenJobs {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(requirements, "requirements");
    }
}
