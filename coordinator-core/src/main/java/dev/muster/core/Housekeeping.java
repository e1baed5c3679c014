package dev.muster.core;

import dev.muster.spi.StoreUnavailableException;
import dev.muster.spi.store.Released;
import dev.muster.spi.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's periodic work: flushing this coordinator's counts of rejections left out of
 * the log, expiring overdue leases, sweeping worker health ({@link HealthSweep}) and purging old
 * finished jobs, each round bounded so that a round stays short however much has piled up. See
 * {@link Coordinator#runHousekeeping()} for what a round does and when it is skipped.
 */
final class Housekeeping {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
    private static final int SWEEP_LIMIT = 10_000;

    private final InstantSource clock;
    private final Store store;
    private final StoreWatch storeWatch;
    private final RejectionLog rejectionLog;
    private final HealthSweep healthSweep;
    private final Events events;
    private final Backtracking backtracking;
    private final Duration interval;
    private final Duration purgeAfter;
    private ScheduledExecutorService thread;

    Housekeeping(CoordinatorSettings settings, Store store, StoreWatch storeWatch, RejectionLog rejectionLog,
                 Events events, Backtracking backtracking) {
        this.clock = settings.clock();
        this.backtracking = backtracking;
        this.store = store;
        this.storeWatch = storeWatch;
        this.rejectionLog = rejectionLog;
        this.events = events;
        this.interval = settings.housekeepingInterval();
        this.purgeAfter = settings.purgeAfter();
        this.healthSweep = new HealthSweep(store, settings.heartbeatInterval(), settings.offlineAfter(),
                events::released);
    }

    /**
     * Runs {@code round} on a daemon thread at the configured interval, unless that is zero.
     *
     * @param round one round as the coordinator runs it, refused once it stopped
     */
    synchronized void start(Runnable round) {
        if (interval.isZero()) {
            return;
        }
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "muster-housekeeping");
            t.setDaemon(true);
            return t;
        });
        long period = interval.toMillis();
        thread.scheduleWithFixedDelay(() -> quietly(round), period, period, TimeUnit.MILLISECONDS);
    }

    synchronized void stop() {
        if (thread != null) {
            thread.shutdownNow();
        }
    }

    /** One round; skipped while the store is unavailable. */
    void round() {
        if (!storeWatch.check().available()) {
            return;
        }
        Instant now = clock.instant();
        // Rejection buckets are this coordinator's own, in memory: only it can write their counts or
        // forget them, whichever coordinator leads the shared work below.
        rejectionLog.flush(now);
        if (!store.leadsHousekeeping()) {
            return;
        }
        Instant availableSince = storeWatch.availableSince();
        List<Released> expired;
        do {
            expired = store.expireLeases(now, SWEEP_LIMIT);
            events.released(expired, now);
        } while (expired.size() >= SWEEP_LIMIT);

        healthSweep.run(now, availableSince);
        backtracking.round(now);
        if (!purgeAfter.isZero()) {
            // One bounded batch per round keeps a round short however much history has piled up.
            int purged = store.purgeFinished(now.minus(purgeAfter), SWEEP_LIMIT);
            if (purged > 0) {
                LOG.debug("purged {} jobs finished more than {} ago", purged, purgeAfter);
            }
        }
    }

    private static void quietly(Runnable round) {
        try {
            round.run();
        } catch (StoreUnavailableException e) {
            // The store logs its outages once; a log line per round would only repeat it.
            LOG.debug("housekeeping skipped a round: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("housekeeping failed; it will run again", e);
        }
    }
}
