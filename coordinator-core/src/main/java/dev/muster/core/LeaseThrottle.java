package dev.muster.core;

import dev.muster.spi.Worker;
import java.time.Instant;
import java.time.InstantSource;

/**
 * The lease rates of a worker and of its owner together: a lease takes from both budgets, and
 * what one refuses or the queue could not fill goes back to the other.
 */
final class LeaseThrottle {
    private final Throttle workers;
    private final Throttle owners;

    /** @param workerRate and {@code ownerRate}: jobs per second, 0 for no limit */
    LeaseThrottle(double workerRate, double ownerRate, InstantSource clock) {
        this.workers = workerRate > 0 ? new Throttle(workerRate, clock) : null;
        this.owners = ownerRate > 0 ? new Throttle(ownerRate, clock) : null;
    }

    /** @return how many of {@code max} jobs the worker's and its owner's lease rates allow now */
    int allow(Worker w, int max, Instant now) {
        int allowed = max;
        if (workers != null) {
            allowed = workers.take(w.id().value(), allowed, now);
        }
        if (owners != null && allowed > 0) {
            int ownerAllowed = owners.take(w.owner(), allowed, now);
            if (workers != null) {
                workers.refund(w.id().value(), allowed - ownerAllowed);
            }
            allowed = ownerAllowed;
        }
        return allowed;
    }

    /** Gives back what was allowed but not leased. */
    void refund(Worker w, int unused) {
        if (workers != null) {
            workers.refund(w.id().value(), unused);
        }
        if (owners != null) {
            owners.refund(w.owner(), unused);
        }
    }

    /** @return keys the worker budget holds now; 0 without a worker rate */
    long workerKeys() {
        return workers == null ? 0 : workers.keys();
    }
}
