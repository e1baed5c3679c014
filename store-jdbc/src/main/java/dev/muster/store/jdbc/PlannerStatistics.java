package dev.muster.store.jdbc;

/**
 * Keeps the database planner's statistics fresh as the store's tables grow, where the planner
 * needs it; the dialect decides ({@link Dialect#plannerStatistics}).
 */
interface PlannerStatistics extends AutoCloseable {
    /** For databases whose plans do not depend on statistics the store must refresh. */
    PlannerStatistics NONE = new PlannerStatistics() {
        @Override
        public void changed(long rows) {
            // nothing to keep
        }

        @Override
        public void close() {
            // nothing to stop
        }
    };

    /** Tells that {@code rows} rows were added to the busy tables. */
    void changed(long rows);

    /** Stops refreshing. */
    @Override
    void close();
}
