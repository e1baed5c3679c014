package dev.muster.store.memory;

import dev.muster.spi.Rejection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The rejection log of a {@link MemoryStore}: the newest entries up to a bound, and a count of
 * all ever logged. It has a lock of its own, so logging never waits for the job lock.
 */
final class RejectionLog {
    private final ArrayDeque<Rejection> entries = new ArrayDeque<>();
    private final int size;
    private long count;

    RejectionLog(int size) {
        this.size = size;
    }

    synchronized void add(Rejection rejection) {
        entries.addLast(rejection);
        count++;
        if (entries.size() > size) {
            entries.pollFirst();
        }
    }

    /** @return up to {@code limit} entries, newest first */
    synchronized List<Rejection> newest(int limit) {
        List<Rejection> out = new ArrayList<>(Math.min(limit, entries.size()));
        Iterator<Rejection> it = entries.descendingIterator();
        while (it.hasNext() && out.size() < limit) {
            out.add(it.next());
        }
        return out;
    }

    /** @return how many entries were ever logged */
    synchronized long count() {
        return count;
    }
}
