package dev.muster.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.muster.core.policy.QuorumPolicy;
import dev.muster.spi.JobId;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.Rejection;
import dev.muster.spi.RejectionReason;
import dev.muster.spi.ReportStatus;
import dev.muster.spi.ResultReport;
import dev.muster.spi.StoreUnavailableException;
import dev.muster.spi.Ticket;
import dev.muster.spi.store.Store;
import dev.muster.spi.testkit.SettableClock;
import dev.muster.spi.testkit.SigningWorker;
import dev.muster.store.memory.MemoryStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rejections the coordinator finds in a report before the store go to the store in the same call
 * as the report's results, so that a report and its rejection-log rows are kept or lost together.
 */
class ReportLogRowsTest {
    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final MemoryStore memory = new MemoryStore();
    /** Every store call by name, and the rejection rows each recordResults call carried. */
    private final List<String> calls = new ArrayList<>();
    private final List<List<Rejection>> rowsPerReport = new ArrayList<>();
    private volatile boolean failReports;
    private Coordinator c;

    @BeforeEach
    void start() {
        Store recording = (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (proxy, method, args) -> {
                    synchronized (calls) {
                        calls.add(method.getName());
                        if (method.getName().equals("recordResults") && args.length == 5) {
                            @SuppressWarnings("unchecked")
                            List<Rejection> rows = (List<Rejection>) args[2];
                            rowsPerReport.add(List.copyOf(rows));
                            if (failReports) {
                                throw new StoreUnavailableException("the store's database is unavailable", null);
                            }
                        }
                    }
                    try {
                        return method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        c = Coordinator.builder().clock(clock).store(recording).trustPolicy(new QuorumPolicy(1, 1, 1, false))
                .validator(new EchoValidator()).housekeepingInterval(Duration.ZERO).build();
        c.start();
    }

    @AfterEach
    void stop() {
        c.stop();
    }

    private List<Ticket> twoLeased(SigningWorker w) {
        c.submit(List.of(JobSpec.builder("echo", "a".getBytes(StandardCharsets.UTF_8)).seed(1).build(),
                JobSpec.builder("echo", "b".getBytes(StandardCharsets.UTF_8)).seed(2).build()));
        List<Ticket> tickets = w.lease(2).tickets();
        assertEquals(2, tickets.size());
        return tickets;
    }

    private static ResultReport wrongSeed(Ticket t) {
        return ResultReport.of(t.jobId(), t.replica(), t.seed() + 1, "x".getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private long logCalls() {
        synchronized (calls) {
            return calls.stream().filter("logRejection"::equals).count();
        }
    }

    @Test
    void aRefusedResult_travelsWithTheReport_inOneStoreCall() {
        SigningWorker w = SigningWorker.registered(c, "alice");
        List<Ticket> t = twoLeased(w);
        List<dev.muster.spi.ReportOutcome> out = w.report(List.of(SigningWorker.answer(t.get(0), "fine"),
                wrongSeed(t.get(1))));
        assertEquals(ReportStatus.ACCEPTED, out.get(0).status());
        assertEquals(RejectionReason.SEED_MISMATCH, out.get(1).reason());
        assertEquals(1, rowsPerReport.size(), "one store call for the report");
        assertEquals(List.of(RejectionReason.SEED_MISMATCH),
                rowsPerReport.get(0).stream().map(Rejection::reason).toList());
        assertEquals(0, logCalls(), "no separate write for the refused result");
        assertEquals(List.of(t.get(1).jobId()), c.rejections(10).stream().map(Rejection::jobId).toList());
    }

    @Test
    void aReportOfOnlyRefusedResults_writesItsRowsInOneCall() {
        SigningWorker w = SigningWorker.registered(c, "alice");
        w.report(List.of(ResultReport.of(JobId.of(999_001), 0, 1, new byte[] {1}, Map.of()),
                ResultReport.of(JobId.of(999_002), 0, 1, new byte[] {1}, Map.of())));
        assertEquals(1, rowsPerReport.size());
        assertEquals(2, rowsPerReport.get(0).size());
        assertEquals(0, logCalls());
        assertEquals(2, c.rejections(10).size());
    }

    @Test
    void whenTheStoreFailsTheReport_itsRejectionRowsAreNotKeptEither() {
        SigningWorker w = SigningWorker.registered(c, "alice");
        List<Ticket> t = twoLeased(w);
        failReports = true;
        assertThrows(StoreUnavailableException.class,
                () -> w.report(List.of(SigningWorker.answer(t.get(0), "fine"), wrongSeed(t.get(1)))));
        assertEquals(List.of(), c.rejections(10), "no row of a report that was not recorded");
        assertEquals(JobState.RUNNING, c.job(t.get(0).jobId()).orElseThrow().state());
    }
}
