package dev.muster.examples;

import dev.muster.spi.Capabilities;
import dev.muster.spi.Challenge;
import dev.muster.spi.CoordinatorApi;
import dev.muster.spi.JobHandler;
import dev.muster.spi.Keys;
import dev.muster.spi.MusterException;
import dev.muster.spi.Registration;
import dev.muster.spi.ReportOutcome;
import dev.muster.spi.ResultBatch;
import dev.muster.spi.ResultReport;
import dev.muster.spi.SignedBytes;
import dev.muster.spi.Ticket;
import dev.muster.spi.TicketBatch;
import dev.muster.spi.WorkerId;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A worker that runs in the coordinator's JVM and calls its API directly: registers with a fresh
 * key, leases a batch, runs each ticket through its {@link JobHandler}, signs the batch of results
 * once and reports it. It polls with a short back-off while the queue is empty, and stops after
 * {@link #stop()} once it holds nothing.
 */
public final class LocalWorker implements Runnable {
    private final CoordinatorApi api;
    private final String owner;
    private final JobHandler handler;
    private final int batch;
    private final KeyPair keys = Keys.generate();
    private final WorkerId id = WorkerId.of(keys.getPublic());
    private final AtomicLong results = new AtomicLong();
    private volatile boolean stopping;

    /**
     * @param api     the coordinator
     * @param owner   the contributor account this worker earns for
     * @param handler what it runs
     * @param batch   tickets per lease
     */
    public LocalWorker(CoordinatorApi api, String owner, JobHandler handler, int batch) {
        this.api = api;
        this.owner = owner;
        this.handler = handler;
        this.batch = batch;
    }

    /** @return the worker's id */
    public WorkerId id() {
        return id;
    }

    /** @return the worker's key pair, e.g. to put its public key on an allowlist */
    public KeyPair keys() {
        return keys;
    }

    /** @return results reported so far */
    public long results() {
        return results.get();
    }

    /** Asks the worker to finish what it holds and return. */
    public void stop() {
        stopping = true;
    }

    /** Proves key possession and joins the pool. */
    public void register() {
        Capabilities caps = Capabilities.of(Runtime.getRuntime().availableProcessors(), 1024);
        Challenge c = api.challenge();
        byte[] proof = Keys.sign(keys.getPrivate(),
                SignedBytes.registration(c.value(), keys.getPublic(), owner, caps, "examples-0.1", batch));
        api.register(new Registration(keys.getPublic(), owner, caps, "examples-0.1", batch, c.value(), proof));
    }

    @Override
    public void run() {
        try {
            while (true) {
                TicketBatch leased = api.lease(id, batch);
                if (leased.tickets().isEmpty()) {
                    if (stopping) {
                        return;
                    }
                    Thread.sleep(5); // polling back-off while the queue is empty
                    continue;
                }
                List<ResultReport> out = new ArrayList<>(leased.tickets().size());
                for (Ticket t : leased.tickets()) {
                    out.add(handler.run(t));
                }
                byte[] sig = Keys.sign(keys.getPrivate(), SignedBytes.results(id, out));
                List<ReportOutcome> outcomes = api.report(new ResultBatch(id, out, sig));
                results.addAndGet(outcomes.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (MusterException e) {
            System.err.println("worker " + id + " of " + owner + " stopped: " + e.getMessage());
        }
    }
}
