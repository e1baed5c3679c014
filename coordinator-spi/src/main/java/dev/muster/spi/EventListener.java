package dev.muster.spi;

/**
 * Receives {@link CoordinatorEvent}s: result sinks (accepted results on to the pipeline), replay
 * loggers, metrics. Events arrive after the change they describe is stored, on the thread that made
 * it, so a listener should hand slow work to its own executor.
 *
 * <p>A listener that throws is isolated: the failure is logged with the listener's name and
 * counted, and neither dispatch nor other listeners are affected.
 */
@FunctionalInterface
public interface EventListener {
    /**
     * Hears of one event, after what it reports is stored.
     *
     * @param event what happened
     */
    void onEvent(CoordinatorEvent event);

    /**
     * Returns a name for logs; the class name by default.
     *
     * @return a name for logs; the class name by default
     */
    default String name() {
        return getClass().getName();
    }
}
