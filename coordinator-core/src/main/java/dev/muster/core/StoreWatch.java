package dev.muster.core;

import dev.muster.spi.store.Store;
import dev.muster.spi.store.StoreHealth;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches whether the store can serve, for readiness probes and for housekeeping.
 *
 * <p>Asking the store costs a database round trip and a small write, so the answer probes get
 * ({@link #health()}) is kept for {@link #MAX_AGE_NANOS}, and only one thread asks at a time: a
 * probe that comes while another is asking gets the answer kept from before (the first ever
 * waits). A store that hangs therefore holds at most one probe, and probes at any rate reach it
 * at most once a second. Housekeeping asks afresh each round ({@link #check()}); its interval
 * bounds its rate, and its answer serves the probes too.
 *
 * <p>It also keeps the moment the store last became available (the coordinator's start, or the
 * end of an outage), measured with the coordinator's clock: workers could not reach the
 * coordinator before then, so housekeeping measures their silence from that moment at the
 * earliest. An outage is seen when a check finds the store down, or when the store's outage count
 * moved since the last check (an outage that began and ended between two checks). A call that
 * failed for a reason of its own is no outage: were it counted, a call failing every round would
 * keep every silent worker online for ever.
 */
final class StoreWatch {
    private static final Logger LOG = LoggerFactory.getLogger(StoreWatch.class);
    /** How long an answer is kept. Real time, not the coordinator's clock: this is a rate limit. */
    static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Store store;
    private final InstantSource clock;
    private final ReentrantLock asking = new ReentrantLock();
    private volatile StoreHealth last;
    private volatile long lastAt;
    private volatile Instant availableSince;
    /** Set when a check finds the store down, cleared by the first that finds it available. */
    private boolean down;
    private long outagesSeen;

    StoreWatch(Store store, InstantSource clock) {
        this.store = store;
        this.clock = clock;
        this.availableSince = clock.instant();
    }

    /** Marks the start of service: silence before it does not count. */
    void started() {
        availableSince = clock.instant();
    }

    /** @return the store's health, at most {@link #MAX_AGE_NANOS} old unless another check is under way */
    StoreHealth health() {
        StoreHealth kept = last;
        if (kept != null && System.nanoTime() - lastAt < MAX_AGE_NANOS) {
            return kept;
        }
        if (kept != null) {
            if (!asking.tryLock()) {
                return kept;
            }
        } else {
            asking.lock();
        }
        try {
            if (last != null && System.nanoTime() - lastAt < MAX_AGE_NANOS) {
                return last;
            }
            return askAndKeep();
        } finally {
            asking.unlock();
        }
    }

    /** @return the store's health, asked now (waiting for a check under way to finish first) */
    StoreHealth check() {
        asking.lock();
        try {
            return askAndKeep();
        } finally {
            asking.unlock();
        }
    }

    private StoreHealth askAndKeep() {
        StoreHealth fresh = ask();
        observe(fresh);
        last = fresh;
        lastAt = System.nanoTime();
        return fresh;
    }

    private StoreHealth ask() {
        try {
            StoreHealth h = store.checkHealth();
            return h != null ? h : new StoreHealth(false, "the store gave no answer about its health", outagesSeen);
        } catch (RuntimeException e) {
            // The SPI says checkHealth never throws; a store that does is not fit to serve either.
            LOG.warn("the store's health check threw; counting the store as unavailable", e);
            return new StoreHealth(false, "the store could not check its health", outagesSeen);
        }
    }

    /** Called under {@link #asking}. */
    private void observe(StoreHealth h) {
        boolean missedOutage = h.outages() != outagesSeen;
        outagesSeen = h.outages();
        if (!h.available()) {
            down = true;
            return;
        }
        if (down || missedOutage) {
            down = false;
            availableSince = clock.instant();
            LOG.info("the store is available again; workers are not judged silent before {}", availableSince);
        }
    }

    /** @return when the store last became available for this coordinator: its start, or the end of the last outage */
    Instant availableSince() {
        return availableSince;
    }
}
