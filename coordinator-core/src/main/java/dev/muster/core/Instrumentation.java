package dev.muster.core;

import dev.muster.spi.transport.Exposition;
import java.util.List;

/**
 * Receives what a coordinator does, timed and counted, for a metrics library to record: the core
 * binds none. {@link dev.muster.core.metrics.MusterMetrics} records it with Micrometer; give an
 * instance to {@link CoordinatorBuilder#instrumentation}. Every method has an empty default, so an
 * implementation takes only what it needs.
 *
 * <p>Methods are called on the thread that did the work: they must be quick, must not block and
 * must not throw. A time is in nanoseconds of {@link System#nanoTime()}, whatever clock the
 * coordinator runs on.
 */
public interface Instrumentation {
    /** Records nothing: the default. */
    Instrumentation NONE = new Instrumentation() {};

    /** The coordinator this instrumentation serves is built; gauges may read it from now on. */
    default void attached(Coordinator coordinator) {}

    /** A lease call handed out {@code tickets} tickets (none for an idle poll). */
    default void leased(int tickets, long nanos) {}

    /** A report call recorded a batch of {@code results} results. */
    default void reported(int results, long nanos) {}

    /** {@code jobs} jobs of {@code jobType} were submitted (repeats of an idempotency key included). */
    default void submitted(String jobType, int jobs) {}

    /** A validator judged a result of {@code jobType}. */
    default void validated(String jobType, boolean valid, long nanos) {}

    /**
     * A store call returned or threw.
     *
     * @param operation the {@link dev.muster.spi.store.Store} method's name
     * @param failed    whether it threw
     */
    default void storeCalled(String operation, long nanos, boolean failed) {}

    /** A worker asked for more than its lease rate allows, and was given less or nothing. */
    default void leaseThrottled() {}

    /**
     * @return resources the coordinator's transports serve beside the API, such as a scrape
     *     endpoint for what this records; none by default
     */
    default List<Exposition> expositions() {
        return List.of();
    }
}
