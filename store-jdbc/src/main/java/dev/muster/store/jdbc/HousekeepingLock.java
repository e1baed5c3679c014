package dev.muster.store.jdbc;

/**
 * Decides which of several coordinators on one database runs housekeeping: the holder of this
 * lock ({@link AdvisoryLock} on PostgreSQL). An embedded database belongs to one process, which
 * always leads ({@link #ALONE}). {@link Dialect#housekeepingLock} picks.
 *
 * <p>Thread-safe; {@link #held()} is cheap while the lock is held.
 */
interface HousekeepingLock extends AutoCloseable {
    /** The lock of a database that one process holds: always held. */
    HousekeepingLock ALONE = new HousekeepingLock() {
        @Override
        public boolean held() {
            return true;
        }

        @Override
        public void close() {
            // nothing held elsewhere
        }
    };

    /** @return whether this process holds the lock, taking it if it is free */
    boolean held();

    /** Releases the lock so another coordinator can lead at once. */
    @Override
    void close();
}
