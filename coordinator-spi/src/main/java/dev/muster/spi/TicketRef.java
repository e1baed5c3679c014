package dev.muster.spi;

/**
 * Names one ticket, and so one lease: a job and the replica of it the worker was given. A worker
 * holds at most one replica of a job at a time, but after a lease ended it may be given another
 * replica of the same job, so the replica is part of the name.
 *
 * @param jobId   the job
 * @param replica the replica, as on the ticket
 */
public record TicketRef(JobId jobId, int replica) {
    /**
     * Checks the name.
     *
     * @param jobId   the job; not null
     * @param replica the replica, not negative
     * @throws InvalidRequestException if the job is missing or the replica negative
     */
    public TicketRef {
        Checks.notNull(jobId, "jobId");
        Checks.range(replica, "replica", 0, Integer.MAX_VALUE);
    }

    /**
     * Returns the name of {@code ticket}.
     *
     * @param ticket a ticket the worker was given
     * @return the name of {@code ticket}
     */
    public static TicketRef of(Ticket ticket) {
        return new TicketRef(ticket.jobId(), ticket.replica());
    }
}
