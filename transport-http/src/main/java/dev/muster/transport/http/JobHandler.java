package dev.muster.transport.http;

import dev.muster.spi.ResultReport;
import dev.muster.spi.Ticket;

/** Worker-side code for one or more job types: turns a ticket into a result. */
@FunctionalInterface
public interface JobHandler {
    /**
     * @param ticket the job to run; its payload digest was already checked
     * @return the result, for {@code ticket.jobId()}, {@code ticket.replica()} and {@code ticket.seed()}
     * @throws RuntimeException if the job cannot be run; the ticket is left to expire and be retried elsewhere
     */
    ResultReport run(Ticket ticket);
}
