package dev.muster.core;

import dev.muster.spi.Checks;
import dev.muster.spi.ReleaseReason;
import dev.muster.spi.Job;
import dev.muster.spi.SignedBytes;
import dev.muster.spi.Ticket;
import dev.muster.spi.TicketBatch;
import dev.muster.spi.TicketRef;
import dev.muster.spi.Worker;
import dev.muster.spi.WorkerId;
import dev.muster.spi.policy.KeyTrust;
import dev.muster.spi.policy.TrustPolicy;
import dev.muster.spi.store.LeaseRequest;
import dev.muster.spi.store.LeasedJob;
import dev.muster.spi.store.Released;
import dev.muster.spi.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out work and takes back what a worker gives up: how many jobs a worker may lease now (its
 * state and the lease rates), the store's lease with the owner limits and the policy's
 * distinct-owner rule, the coordinator's signature over the tickets, and releases.
 */
final class Dispatch {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatch.class);

    private final CoordinatorSettings settings;
    private final Store store;
    private final TrustPolicy policy;
    private final Signatures.Signer signer;
    private final WorkerStates workers;
    private final LeaseThrottle throttle;
    private final Events events;

    Dispatch(CoordinatorSettings settings, Store store, TrustPolicy policy, Signatures.Signer signer,
             WorkerStates workers, LeaseThrottle throttle, Events events) {
        this.settings = settings;
        this.store = store;
        this.policy = policy;
        this.signer = signer;
        this.workers = workers;
        this.throttle = throttle;
        this.events = events;
    }

    TicketBatch lease(WorkerId id, int max, Instant now) {
        long start = System.nanoTime();
        TicketBatch batch = leaseTimed(id, max, now);
        settings.instrumentation().leased(batch.tickets().size(), System.nanoTime() - start);
        return batch;
    }

    private TicketBatch leaseTimed(WorkerId id, int max, Instant now) {
        Checks.range(max, "max", 1, settings.maxLeaseBatch());
        Worker w = workers.alive(workers.requireUsable(id), now);
        List<Ticket> tickets;
        int allowed = w.state().canLease() ? throttle.allow(w, max, now) : 0;
        if (allowed < max && w.state().canLease()) {
            settings.instrumentation().leaseThrottled();
        }
        if (allowed == 0) {
            tickets = List.of();
        } else {
            // A key the policy does not yet hold to account cannot fail jobs by holding leases and vanishing.
            KeyTrust trust = policy.judgesKeys() ? store.trust(id) : null;
            boolean spares = trust != null && !policy.countsAttempt(trust);
            LeaseRequest request = new LeaseRequest(id, w.owner(), w.capabilities(), allowed,
                    w.maxConcurrentLeases(), settings.ownerLeaseLimit(), policy.distinctOwners(), now, spares);
            // On probation, spot-checks first; ordinary work only when none waits for this key.
            List<LeasedJob> leased = trust != null && trust.passed() < policy.probation()
                    ? store.lease(request.spotChecksOnly()) : List.of();
            if (leased.isEmpty()) {
                leased = store.lease(request);
            }
            throttle.refund(w, allowed - leased.size());
            tickets = new ArrayList<>(leased.size());
            // Where spot-checks hide among jobs, a trace a check shares with its older source job
            // would give it away: workers get no trace context there.
            boolean traces = policy.spotCheckRate() == 0;
            for (LeasedJob l : leased) {
                Job job = l.job();
                tickets.add(new Ticket(job.id(), l.lease().replica(), job.spec().type(), job.spec(),
                        job.payloadDigest(), l.lease().deadline(), traces ? job.spec().traceparent() : null));
            }
        }
        // An empty batch grants nothing, so idle polls (and long-poll retries) cost no signature.
        byte[] signature = settings.signatures() && !tickets.isEmpty()
                ? signer.sign(SignedBytes.tickets(id, now, tickets)) : new byte[0];
        return new TicketBatch(id, now, tickets, signature);
    }

    /**
     * A worker's account of a failure is advisory text that ends up in a job's failure reason,
     * which submitters read: control and format characters (line breaks, bidirectional overrides)
     * become spaces, and it is cut to 1,000 characters, rather than the release being refused.
     *
     * @return the text, or null if nothing printable is left
     */
    static String plainText(String detail) {
        if (detail == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(detail.length(), 1_000));
        detail.codePoints().forEach(c -> {
            int type = Character.getType(c);
            boolean plain = !Character.isISOControl(c) && type != Character.FORMAT && type != Character.SURROGATE
                    && type != Character.PRIVATE_USE && type != Character.UNASSIGNED;
            if (out.length() < 1_000 - 1) {
                out.appendCodePoint(plain ? c : ' ');
            }
        });
        String text = out.toString().strip().replaceAll(" {2,}", " ");
        return text.isEmpty() ? null : text;
    }

    /** @return the tickets given up: those the worker still held */
    List<TicketRef> release(WorkerId worker, List<TicketRef> tickets, ReleaseReason reason, String detail,
                            Instant now) {
        TicketRefs.check(tickets, settings.maxReportBatch());
        Checks.notNull(reason, "reason");
        Worker w = workers.alive(workers.requireUsable(worker), now);
        List<Released> released = store.releaseLeases(w.id(), tickets, now, reason, plainText(detail));
        LOG.debug("worker {} gave up {} of {} tickets ({})", w.id(), released.size(), tickets.size(), reason);
        events.released(released, now);
        return TicketRefs.of(released);
    }
}
