package dev.muster.core;

import dev.muster.spi.Checks;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.TicketRef;
import dev.muster.spi.store.Released;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks a worker's list of tickets to give up, before anything is changed. */
final class TicketRefs {
    private TicketRefs() {}

    /** @throws InvalidRequestException if the list is null, empty, over {@code max}, or holds null or a repeat */
    static void check(List<TicketRef> tickets, int max) {
        Checks.notNull(tickets, "tickets");
        Checks.range(tickets.size(), "tickets to release", 1, max);
        Set<TicketRef> seen = new HashSet<>(tickets.size() * 2);
        for (int i = 0; i < tickets.size(); i++) {
            TicketRef t = Checks.notNull(tickets.get(i), "tickets[" + i + "]");
            if (!seen.add(t)) {
                throw new InvalidRequestException("tickets[" + i + "] names job " + t.jobId() + " replica "
                        + t.replica() + " again; name each ticket once");
            }
        }
    }

    /** @return the tickets of the released leases, in order */
    static List<TicketRef> of(List<Released> released) {
        return released.stream().map(r -> new TicketRef(r.lease().jobId(), r.lease().replica())).toList();
    }
}
