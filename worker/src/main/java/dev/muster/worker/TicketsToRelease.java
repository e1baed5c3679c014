package dev.muster.worker;

import dev.muster.spi.MusterException;
import dev.muster.spi.ReleaseReason;
import dev.muster.spi.Ticket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.lang.System.Logger.Level;

/**
 * Tickets a {@link WorkerLoop} gives up, kept until the coordinator has heard of them: a release
 * the coordinator did not get (it was restarting, say) is sent again with the next one, until the
 * lease's deadline passes, when the coordinator ends the lease by itself anyway. Used by the
 * loop's thread only.
 */
final class TicketsToRelease {
    private static final System.Logger LOG = System.getLogger(TicketsToRelease.class.getName());
    /** Tickets per call; the coordinator's default batch limit is far above a loop's lease batch. */
    private static final int CHUNK = 100;

    /** Why tickets are given up: a reason, and for failures what went wrong. */
    private record Why(ReleaseReason reason, String detail) {}

    private final Map<Why, List<Ticket>> pending = new LinkedHashMap<>();

    /** @param detail what went wrong, for {@link ReleaseReason#FAILED}; or null */
    void add(Ticket ticket, ReleaseReason reason, String detail) {
        pending.computeIfAbsent(new Why(reason, detail), r -> new ArrayList<>()).add(ticket);
    }

    /** Sends what is pending; keeps what could not be sent for the next call. Never throws. */
    void send(WorkerClient client) {
        Instant now = Instant.now();
        for (Map.Entry<Why, List<Ticket>> e : pending.entrySet()) {
            List<Ticket> tickets = e.getValue();
            tickets.removeIf(t -> t.deadline().isBefore(now));
            while (!tickets.isEmpty()) {
                List<Ticket> chunk = tickets.subList(0, Math.min(CHUNK, tickets.size()));
                try {
                    client.release(List.copyOf(chunk), e.getKey().reason(), e.getKey().detail());
                } catch (HttpProblemException x) {
                    if (x.status() == 429 || x.status() >= 500) {
                        LOG.log(Level.INFO, "could not give {0} tickets back yet ({1}); will retry", tickets.size(), x.getMessage());
                        break;
                    }
                    // The coordinator refused these outright; sending them again would be refused too.
                    LOG.log(Level.WARNING, "coordinator refused to take {0} tickets back: {1}", chunk.size(), x.getMessage());
                } catch (MusterException x) {
                    LOG.log(Level.INFO, "could not give {0} tickets back yet ({1}); will retry", tickets.size(), x.getMessage());
                    break;
                }
                chunk.clear();
            }
        }
        pending.values().removeIf(List::isEmpty);
    }
}
