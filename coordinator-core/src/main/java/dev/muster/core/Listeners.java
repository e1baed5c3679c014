package dev.muster.core;

import dev.muster.spi.CoordinatorEvent;
import dev.muster.spi.EventListener;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to every listener, isolating each: a listener that throws is logged by name and
 * counted, and the others (and the caller, which is dispatch or reporting) carry on.
 */
final class Listeners {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private final List<EventListener> listeners;
    private final AtomicLong failures = new AtomicLong();

    Listeners(List<EventListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    boolean isEmpty() {
        return listeners.isEmpty();
    }

    void publish(CoordinatorEvent event) {
        for (EventListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException | LinkageError e) {
                failures.incrementAndGet();
                LOG.warn("event listener {} failed on {}; the event was not retried", safeName(l),
                        event.getClass().getSimpleName(), e);
            }
        }
    }

    long failures() {
        return failures.get();
    }

    private static String safeName(EventListener l) {
        try {
            return l.name();
        } catch (RuntimeException e) {
            return l.getClass().getName();
        }
    }
}
