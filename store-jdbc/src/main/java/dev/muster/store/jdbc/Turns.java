package dev.muster.store.jdbc;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Whether transactions of this process that would fight over the same rows run side by side or
 * take turns: side by side where the database skips rows another transaction holds (PostgreSQL),
 * one at a time where it cannot (H2, SQLite). {@link Dialect#turns()} picks.
 */
abstract sealed class Turns permits Turns.SideBySide, Turns.OneAtATime {

    /** @return what {@code work} returned, run when it is its turn */
    abstract <T> T take(Supplier<T> work);

    /** Runs everything at once. */
    static final class SideBySide extends Turns {
        @Override
        <T> T take(Supplier<T> work) {
            return work.get();
        }
    }

    /** Runs one at a time. */
    static final class OneAtATime extends Turns {
        private final ReentrantLock lock = new ReentrantLock();

        @Override
        <T> T take(Supplier<T> work) {
            lock.lock();
            try {
                return work.get();
            } finally {
                lock.unlock();
            }
        }
    }
}
