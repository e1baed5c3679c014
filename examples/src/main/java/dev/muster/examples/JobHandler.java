package dev.muster.examples;

import dev.muster.spi.ResultReport;
import dev.muster.spi.Ticket;

/** Worker-side code for one job type: turns a ticket into a result. */
@FunctionalInterface
public interface JobHandler {
    /** @return the result of running {@code ticket} */
    ResultReport run(Ticket ticket);
}
