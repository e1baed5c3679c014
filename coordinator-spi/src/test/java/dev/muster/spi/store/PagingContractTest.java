package dev.muster.spi.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.spi.Capabilities;
import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.JobQuery;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.Keys;
import dev.muster.spi.ReportStatus;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Verdict;
import dev.muster.spi.Worker;
import dev.muster.spi.WorkerId;
import dev.muster.spi.WorkerState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Part of the store contract: paging through {@link Store#jobs} returns every matching job exactly
 * once, and a page is short only at the end, whatever lies between matches. Submitter {@code b}
 * submits a run of jobs longer than the 100,000 ids the stores once scanned per page, between the
 * jobs of {@code a} and {@code c}. A store module extends this class and implements {@link #newStore()}.
 */
public abstract class PagingContractTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** Longer than the bounded scan (100,000 ids) that lost jobs behind it. */
    private static final int RUN = 100_100;
    private static final int BATCH = 5_000;

    /** The store under test; closed after each test. */
    protected Store store;
    /** What each job should be, by id, as this test changed it. */
    private final Map<Long, Expected> expected = new LinkedHashMap<>();

    private record Expected(String submitter, String type, JobState state) {}

    /** @return a fresh, empty store */
    protected abstract Store newStore();

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private List<Job> submit(String submitter, String type, int count, int priority, long seedBase) {
        List<Job> out = new ArrayList<>(count);
        for (int from = 0; from < count; from += BATCH) {
            List<NewJob> batch = new ArrayList<>();
            for (int i = from; i < Math.min(count, from + BATCH); i++) {
                JobSpec spec = JobSpec.builder(type, new byte[] {(byte) i}).seed(seedBase + i).priority(priority)
                        .submitter(submitter).timeout(Duration.ofMinutes(1)).build();
                batch.add(new NewJob(spec, spec.contentDigest(), spec.payloadDigest(), 1, T0));
            }
            for (Submitted s : store.submit(batch)) {
                out.add(s.job());
                expected.put(s.job().id().value(), new Expected(submitter, type, JobState.QUEUED));
            }
        }
        return out;
    }

    private void became(JobId id, JobState state) {
        Expected e = expected.get(id.value());
        expected.put(id.value(), new Expected(e.submitter(), e.type(), state));
        assertEquals(state, store.job(id).orElseThrow().state());
    }

    @Test
    void pagingThroughJobs_returnsEveryMatchExactlyOnce_forEveryFilter_pastALongRunOfOtherJobs() {
        // a and c before and after b's long run; the urgent ones (priority 10) are the ones leased.
        List<Job> aEarly = submit("a", "t1", 6, 0, 0);
        submit("a", "t2", 2, 10, 100);
        List<Job> cEarly = submit("c", "t2", 3, 0, 200);
        submit("b", "bulk", RUN, 0, 1_000_000);
        List<Job> aLate = submit("a", "t1", 5, 0, 300);
        submit("c", "t1", 2, 10, 400);
        List<Job> bLate = submit("b", "t2", 3, 0, 500);

        Worker w = store.saveWorker(new Worker(new WorkerId(String.format("%032x", 1)), Keys.generate().getPublic(),
                "owner", Capabilities.of(4, 0), "build", 100, WorkerState.ACTIVE, T0, T0));
        List<LeasedJob> leased = store.lease(new LeaseRequest(w.id(), "owner", w.capabilities(), 4, 100,
                Integer.MAX_VALUE, false, T0));
        assertEquals(4, leased.size(), "the four urgent jobs are leased");
        for (LeasedJob l : leased) {
            became(l.job().id(), JobState.RUNNING);
        }
        // One of a's and one of c's are accepted, one of a's fails; cancel a few queued ones.
        for (LeasedJob l : List.of(leased.get(0), leased.get(1), leased.get(2))) {
            boolean valid = l != leased.get(2);
            ResultReport r = ResultReport.of(l.lease().jobId(), l.lease().replica(), l.job().spec().seed(),
                    new byte[] {1}, Map.of());
            ResultOutcome o = store.recordResults(w, List.of(new ResultRecord(r,
                    valid ? Verdict.ok() : Verdict.invalid("no"), 1)), T0, TestPolicies.firstValid()).get(0);
            assertEquals(valid ? ReportStatus.ACCEPTED : ReportStatus.REJECTED, o.status());
        }
        for (LeasedJob l : leased.subList(0, 2)) {
            became(l.job().id(), JobState.ACCEPTED);
        }
        // The invalid result counts an attempt; the job goes back to the queue (3 attempts allowed).
        became(leased.get(2).job().id(), JobState.QUEUED);
        for (Job j : List.of(aEarly.get(1), cEarly.get(0), aLate.get(4), bLate.get(0))) {
            store.cancel(j.id(), T0, "test");
            became(j.id(), JobState.CANCELLED);
        }

        int combinations = 0;
        for (String submitter : Arrays.asList(null, "a", "b", "c", "nobody")) {
            for (JobState state : Arrays.asList(null, JobState.QUEUED, JobState.RUNNING, JobState.ACCEPTED,
                    JobState.CANCELLED, JobState.FAILED)) {
                for (String type : Arrays.asList(null, "t1", "t2", "bulk")) {
                    List<Long> want = expected.entrySet().stream()
                            .filter(e -> (submitter == null || submitter.equals(e.getValue().submitter()))
                                    && (state == null || state == e.getValue().state())
                                    && (type == null || type.equals(e.getValue().type())))
                            .map(Map.Entry::getKey).toList();
                    // Small pages where few match, so that those page too; pages of 1,000 through the run.
                    int limit = want.size() > 1_000 ? 1_000 : 2;
                    assertEquals(want, pageThrough(new JobQuery(submitter, state, type, 0, limit)),
                            "submitter " + submitter + ", state " + state + ", type " + type);
                    combinations++;
                }
            }
        }
        assertEquals(120, combinations);
    }

    /** Pages to the end, checking that only the last page is short. @return the ids, in order */
    private List<Long> pageThrough(JobQuery first) {
        List<Long> ids = new ArrayList<>();
        long after = 0;
        while (true) {
            List<Job> page = store.jobs(new JobQuery(first.submitter(), first.state(), first.type(), after,
                    first.limit()));
            for (Job j : page) {
                assertTrue(first.matches(j), () -> j + " does not match " + first);
                ids.add(j.id().value());
            }
            if (page.size() < first.limit()) {
                return ids;
            }
            after = page.get(page.size() - 1).id().value();
        }
    }
}
