package dev.muster.core;

import dev.muster.spi.transport.Exposition;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes a coordinator's timings and counts on to an embedder's {@link Instrumentation}, and
 * keeps its failures from the call that is being measured: a lease or report the store has
 * committed must not turn into an error because recording it threw. A failure is logged once,
 * with its stack trace, and the rest are dropped.
 */
final class GuardedInstrumentation implements Instrumentation {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedInstrumentation.class);

    private final Instrumentation target;
    private final AtomicBoolean logged = new AtomicBoolean();

    private GuardedInstrumentation(Instrumentation target) {
        this.target = target;
    }

    /** @return {@code target}, guarded, or {@link Instrumentation#NONE} as it is */
    static Instrumentation of(Instrumentation target) {
        return target == NONE || target instanceof GuardedInstrumentation ? target : new GuardedInstrumentation(target);
    }

    private void failed(RuntimeException e) {
        if (logged.compareAndSet(false, true)) {
            LOG.warn("instrumentation {} threw; the call it measured went on, and later failures are not logged",
                    target.getClass().getName(), e);
        }
    }

    @Override
    public void attached(Coordinator coordinator) {
        target.attached(coordinator);
    }

    @Override
    public void leased(int tickets, long nanos) {
        try {
            target.leased(tickets, nanos);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void reported(int results, long nanos) {
        try {
            target.reported(results, nanos);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void submitted(String jobType, int jobs) {
        try {
            target.submitted(jobType, jobs);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void validated(String jobType, boolean valid, long nanos) {
        try {
            target.validated(jobType, valid, nanos);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void storeCalled(String operation, long nanos, boolean failed) {
        try {
            target.storeCalled(operation, nanos, failed);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void leaseThrottled() {
        try {
            target.leaseThrottled();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public List<Exposition> expositions() {
        return target.expositions();
    }
}
