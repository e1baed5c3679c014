package dev.muster.store.memory;

import dev.muster.spi.WorkerId;
import dev.muster.spi.store.LeaseRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The live leases of a {@link MemoryStore}, by worker, by owner and by timeout; guarded by the
 * store's lock.
 *
 * <p>Expiry keeps one FIFO per distinct job timeout: leases with the same timeout expire in the
 * order they were made, so a sweep reads only what is due. To keep that true when requests reach
 * the lock out of time order, a lease never starts before the previous one ({@link #start}).
 */
final class LeaseIndex {
    private final HashMap<Long, LinkedHashSet<LeaseRec>> byTimeout = new HashMap<>();
    private final HashMap<WorkerId, LinkedHashSet<LeaseRec>> byWorker = new HashMap<>();
    private final HashMap<String, int[]> byOwner = new HashMap<>();
    private long active;
    private Instant lastStart = Instant.MIN;

    /**
     * Callers read the clock before they get the lock, so requests can arrive out of time order.
     * Leases never start before an earlier one, so each timeout's FIFO stays sorted by deadline
     * and a sweep can stop at the first lease that is not due.
     *
     * @return when a lease requested at {@code requested} starts
     */
    Instant start(Instant requested) {
        lastStart = requested.isAfter(lastStart) ? requested : lastStart;
        return lastStart;
    }

    /** @return how many live leases {@code worker} holds */
    int heldBy(WorkerId worker) {
        LinkedHashSet<LeaseRec> held = byWorker.get(worker);
        return held == null ? 0 : held.size();
    }

    /** @return how many live leases the workers of {@code owner} hold */
    int heldByOwner(String owner) {
        int[] held = byOwner.get(owner);
        return held == null ? 0 : held[0];
    }

    /** @return the live leases of {@code worker}, oldest first (a copy) */
    List<LeaseRec> of(WorkerId worker) {
        LinkedHashSet<LeaseRec> held = byWorker.get(worker);
        return held == null ? List.of() : new ArrayList<>(held);
    }

    /** @return up to {@code limit} leases whose deadline is before {@code now} */
    List<LeaseRec> due(Instant now, int limit) {
        List<LeaseRec> due = new ArrayList<>();
        for (LinkedHashSet<LeaseRec> fifo : byTimeout.values()) {
            Iterator<LeaseRec> it = fifo.iterator();
            while (it.hasNext() && due.size() < limit) {
                LeaseRec l = it.next();
                if (!l.deadline().isBefore(now)) {
                    break;
                }
                due.add(l);
            }
        }
        return due;
    }

    /** @return how many leases are live */
    long active() {
        return active;
    }

    void add(LeaseRec l) {
        byWorker.computeIfAbsent(l.worker(), k -> new LinkedHashSet<>()).add(l);
        byOwner.computeIfAbsent(l.owner(), k -> new int[1])[0]++;
        byTimeout.computeIfAbsent(l.timeoutMillis, k -> new LinkedHashSet<>()).add(l);
        active++;
    }

    void remove(LeaseRecord lease) {
        LeaseRec l = (LeaseRec) lease;
        LinkedHashSet<LeaseRec> held = byWorker.get(l.worker());
        if (held != null && held.remove(l) && held.isEmpty()) {
            byWorker.remove(l.worker());
        }
        int[] owned = byOwner.get(l.owner());
        if (owned != null && --owned[0] == 0) {
            byOwner.remove(l.owner());
        }
        byTimeout.get(l.timeoutMillis).remove(l);
        active--;
    }
}
