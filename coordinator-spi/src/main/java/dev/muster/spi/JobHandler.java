package dev.muster.spi;

/**
 * Runs a job on a worker: turns a ticket into a result. This is the worker-side contract, the same
 * whatever transport carries tickets and results; a worker loop calls it once per ticket.
 */
@FunctionalInterface
public interface JobHandler {
    /**
     * Runs one ticket's job.
     *
     * @param ticket the job to run; its payload digest was already checked
     * @return the result, for {@code ticket.jobId()}, {@code ticket.replica()} and {@code ticket.seed()}
     * @throws RuntimeException if the job cannot be run; the ticket is left to expire and be retried elsewhere
     */
    ResultReport run(Ticket ticket);
}
