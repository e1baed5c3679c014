package dev.muster.core;

import dev.muster.spi.Checks;
import dev.muster.spi.Durations;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.TicketBatch;
import dev.muster.spi.WorkerId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workers waiting for work. A waiter is served by the first lease that finds work for it, tried
 * whenever work arrives, and answered with whatever a last lease finds when its wait ends. Both
 * happen on one timer thread, so neither the submitter whose work woke the waiters nor a server
 * thread is held up meanwhile.
 */
final class LongPolls {
    /** The most {@code lease.maxWait} may be set to; the setting itself is the longest long poll. */
    static final Duration MAX_WAIT = Duration.ofMinutes(2);
    private static final Logger LOG = LoggerFactory.getLogger(LongPolls.class);

    /** A lease as the coordinator's API makes it, refused once the coordinator stopped. */
    @FunctionalInterface
    interface LeaseCall {
        TicketBatch lease(WorkerId worker, int max);
    }

    /** A worker waiting for work. */
    private record Waiter(WorkerId worker, int max, CompletableFuture<TicketBatch> future) {}

    private final LeaseCall lease;
    private final BooleanSupplier running;
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean offering = new AtomicBoolean();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "muster-long-poll");
        t.setDaemon(true);
        return t;
    });

    private final Duration maxWait;

    /** @param maxWait the longest long poll a worker may ask for ({@code lease.maxWait}) */
    LongPolls(LeaseCall lease, BooleanSupplier running, Duration maxWait) {
        this.lease = lease;
        this.running = running;
        this.maxWait = maxWait;
    }

    CompletableFuture<TicketBatch> leaseAsync(WorkerId id, int max, Duration wait) {
        Checks.notNull(wait, "wait");
        if (wait.isNegative() || wait.compareTo(maxWait) > 0) {
            throw new InvalidRequestException("wait is " + Durations.format(wait) + "; the longest long poll here is "
                    + Durations.format(maxWait));
        }
        TicketBatch now = lease.lease(id, max);
        // A coordinator that is stopping answers at once: nobody would be left to answer later.
        if (!now.tickets().isEmpty() || wait.isZero() || timer.isShutdown()) {
            return CompletableFuture.completedFuture(now);
        }
        Waiter w = new Waiter(id, max, new CompletableFuture<>());
        waiters.add(w);
        // Work may have arrived between the lease above and joining the waiters.
        offer(w);
        ScheduledFuture<?> timeout;
        try {
            timeout = timer.schedule(() -> expire(w), wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            waiters.remove(w);
            w.future().complete(now);
            return w.future();
        }
        w.future().whenComplete((b, e) -> timeout.cancel(false));
        return w.future();
    }

    /** The wait is over: the waiter gets whatever a last lease finds. */
    private void expire(Waiter w) {
        waiters.remove(w);
        if (!w.future().isDone()) {
            try {
                w.future().complete(lease.lease(w.worker(), w.max()));
            } catch (RuntimeException e) {
                w.future().completeExceptionally(e);
            }
        }
    }

    /** Tries to serve one waiter; it stays waiting if nothing fits it. */
    private void offer(Waiter w) {
        if (w.future().isDone()) {
            waiters.remove(w);
            return;
        }
        try {
            TicketBatch b = lease.lease(w.worker(), w.max());
            if (!b.tickets().isEmpty()) {
                waiters.remove(w);
                if (!w.future().complete(b)) {
                    LOG.warn("tickets leased to {} after its wait ended; they will expire and be retried", w.worker());
                }
            }
        } catch (RuntimeException e) {
            waiters.remove(w);
            w.future().completeExceptionally(e);
        }
    }

    /** New or returned work: let waiting workers try again, on the timer thread so the caller is not held up. */
    void workArrived() {
        // One pass at a time is enough: a pass started after this call sees this call's work.
        if (!waiters.isEmpty() && running.getAsBoolean() && offering.compareAndSet(false, true)) {
            timer.execute(() -> {
                offering.set(false);
                for (Waiter w : List.copyOf(waiters)) {
                    offer(w);
                }
            });
        }
    }

    /** @return workers waiting now */
    int waiting() {
        return waiters.size();
    }

    /**
     * Stops the timer and answers every waiter now, as if its wait had ended, so that a worker of
     * a stopping coordinator hears an ordinary answer rather than an error; one whose last lease
     * fails gets that failure.
     */
    void stop() {
        timer.shutdownNow();
        for (Waiter w : List.copyOf(waiters)) {
            expire(w);
        }
        waiters.clear();
    }
}
