package dev.muster.core;

/**
 * What a coordinator counts in memory, beside what its store holds, for monitoring
 * ({@link Coordinator#activity()}): counts since this coordinator started, and what waits now.
 * Each coordinator of a shared store has its own.
 */
public final class Activity {
    private final Engine engine;
    private final LongPolls longPolls;

    Activity(Engine engine, LongPolls longPolls) {
        this.engine = engine;
        this.longPolls = longPolls;
    }

    /**
     * @return rejections left out of the rejection log since start because their worker was over
     *     its share of the log (each worker's are also summed up in a {@code SUPPRESSED} log entry)
     */
    public long suppressedRejections() {
        return engine.rejectionLog.suppressed();
    }

    /** @return how many times an event listener threw since start */
    public long listenerFailures() {
        return engine.listeners.failures();
    }

    /** @return workers waiting in a long poll for work now */
    public int longPollWaiters() {
        return longPolls.waiting();
    }

    /** @return workers whose lease-rate budget is held in memory now (those that leased within a second) */
    public long throttledWorkers() {
        return engine.leaseThrottle.workerKeys();
    }
}
