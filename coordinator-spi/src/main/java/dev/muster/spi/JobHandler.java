package dev.muster.spi;

/**
 * Runs a job on a worker: turns a ticket into a result. This is the worker-side contract, the same
 * whatever transport carries tickets and results; a worker loop calls it once per ticket.
 */
@FunctionalInterface
public interface JobHandler {
    /**
     * Names the job type this handler runs. A worker that finds its handlers with
     * {@link java.util.ServiceLoader} (the worker SDK's {@code JobHandlers}) runs each ticket with
     * the handler of its type, so a handler registered as a service must name one; a handler
     * given to a worker loop directly may leave it out.
     *
     * @return the job type, or null for a handler that is not registered as a service
     */
    default String jobType() {
        return null;
    }

    /**
     * Runs one ticket's job.
     *
     * @param ticket the job to run; its payload digest was already checked
     * @return the result, for {@code ticket.jobId()}, {@code ticket.replica()} and {@code ticket.seed()}
     * @throws RuntimeException if the job cannot be run; the worker loop gives the ticket back as
     *         failed, with the exception's message as the reason
     */
    ResultReport run(Ticket ticket);
}
