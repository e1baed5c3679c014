package dev.muster.transport.http;

import dev.muster.spi.MusterException;
import dev.muster.spi.ReleaseReason;
import dev.muster.spi.Ticket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tickets a {@link WorkerLoop} gives up, kept until the coordinator has heard of them: a release
 * the coordinator did not get (it was restarting, say) is sent again with the next one, until the
 * lease's deadline passes, when the coordinator ends the lease by itself anyway. Used by the
 * loop's thread only.
 */
final class TicketsToRelease {
    private static final Logger LOG = LoggerFactory.getLogger(TicketsToRelease.class);
    /** Tickets per call; the coordinator's default batch limit is far above a loop's lease batch. */
    private static final int CHUNK = 100;

    private final Map<ReleaseReason, List<Ticket>> pending = new EnumMap<>(ReleaseReason.class);

    void add(Ticket ticket, ReleaseReason reason) {
        pending.computeIfAbsent(reason, r -> new ArrayList<>()).add(ticket);
    }

    /** Sends what is pending; keeps what could not be sent for the next call. Never throws. */
    void send(WorkerClient client) {
        Instant now = Instant.now();
        for (Map.Entry<ReleaseReason, List<Ticket>> e : pending.entrySet()) {
            List<Ticket> tickets = e.getValue();
            tickets.removeIf(t -> t.deadline().isBefore(now));
            while (!tickets.isEmpty()) {
                List<Ticket> chunk = tickets.subList(0, Math.min(CHUNK, tickets.size()));
                try {
                    client.release(List.copyOf(chunk), e.getKey());
                } catch (HttpProblemException x) {
                    if (x.status() == 429 || x.status() >= 500) {
                        LOG.info("could not give {} tickets back yet ({}); will retry", tickets.size(), x.getMessage());
                        break;
                    }
                    // The coordinator refused these outright; sending them again would be refused too.
                    LOG.warn("coordinator refused to take {} tickets back: {}", chunk.size(), x.getMessage());
                } catch (MusterException x) {
                    LOG.info("could not give {} tickets back yet ({}); will retry", tickets.size(), x.getMessage());
                    break;
                }
                chunk.clear();
            }
        }
    }

}
