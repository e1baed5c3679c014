package dev.muster.core;

import dev.muster.spi.Worker;
import dev.muster.spi.WorkerId;
import dev.muster.spi.WorkerState;
import dev.muster.spi.store.Released;
import dev.muster.spi.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker half of housekeeping. A worker silent for one heartbeat interval is degraded; one
 * silent for {@code offlineAfter} is offline and its leases return to the queue at once.
 *
 * <p>A worker an admin drained stays {@link WorkerState#DRAINING} however long it is silent: the
 * drain is the admin's to lift, and an offline worker becomes active again on any sign of life.
 * Its leases still return to the queue once it has been silent for {@code offlineAfter}; the
 * sweep remembers which silence it dealt with, so a drained worker that never comes back costs one
 * store call, not one every round.
 *
 * <p>Silence is measured from the last sign of life, or from the moment the coordinator started or
 * its store became available again if that is later: workers could not reach the coordinator
 * before, so each gets the whole interval to show itself.
 */
final class HealthSweep {
    private static final Logger LOG = LoggerFactory.getLogger(HealthSweep.class);
    private static final WorkerState[] GOING_OFFLINE = {WorkerState.ACTIVE, WorkerState.DEGRADED, WorkerState.LEAVING};

    private final Store store;
    private final Duration heartbeatInterval;
    private final Duration offlineAfter;
    private final BiConsumer<List<Released>, Instant> released;
    /** Silent drained workers whose leases were returned, with the last sign of life they were silent since. */
    private final Map<WorkerId, Instant> drainedAndSwept = new HashMap<>();

    /** @param released told of leases returned to the queue, to wake long polls and report failed jobs */
    HealthSweep(Store store, Duration heartbeatInterval, Duration offlineAfter,
                BiConsumer<List<Released>, Instant> released) {
        this.store = store;
        this.heartbeatInterval = heartbeatInterval;
        this.offlineAfter = offlineAfter;
        this.released = released;
    }

    /**
     * One round. Synchronized because tests and embedders may call housekeeping besides its thread.
     *
     * @param availableSince when the coordinator started or its store last became available
     */
    synchronized void run(Instant now, Instant availableSince) {
        Instant offlineCutoff = now.minus(offlineAfter);
        // Silent since max(last seen, available since) before a cutoff: nobody if the store has not
        // been available that long, else exactly those last seen before it.
        if (availableSince.isBefore(offlineCutoff)) {
            sweepOffline(now, offlineCutoff);
        }
        Instant degradedCutoff = now.minus(heartbeatInterval);
        if (availableSince.isBefore(degradedCutoff)) {
            for (Worker w : store.silentWorkers(WorkerState.ACTIVE, degradedCutoff, Integer.MAX_VALUE)) {
                store.setWorkerState(w.id(), WorkerState.DEGRADED);
            }
        }
    }

    private void sweepOffline(Instant now, Instant offlineCutoff) {
        for (WorkerState s : GOING_OFFLINE) {
            for (Worker w : store.silentWorkers(s, offlineCutoff, Integer.MAX_VALUE)) {
                store.setWorkerState(w.id(), WorkerState.OFFLINE);
                List<Released> r = store.releaseLeases(w.id(), now, "worker went offline");
                LOG.info("worker {} is offline (last seen {}); {} leases returned to the queue", w.id(), w.lastSeen(),
                        r.size());
                released.accept(r, now);
            }
        }
        Map<WorkerId, Instant> stillSilent = new HashMap<>();
        for (Worker w : store.silentWorkers(WorkerState.DRAINING, offlineCutoff, Integer.MAX_VALUE)) {
            stillSilent.put(w.id(), w.lastSeen());
            if (!w.lastSeen().equals(drainedAndSwept.get(w.id()))) {
                List<Released> r = store.releaseLeases(w.id(), now, "drained worker went silent");
                if (!r.isEmpty()) {
                    LOG.info("drained worker {} is silent (last seen {}); {} leases returned to the queue", w.id(),
                            w.lastSeen(), r.size());
                }
                released.accept(r, now);
            }
        }
        drainedAndSwept.clear();
        drainedAndSwept.putAll(stillSilent);
    }
}
