package dev.muster.spi.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.spi.Capabilities;
import dev.muster.spi.Job;
import dev.muster.spi.JobQuery;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.Keys;
import dev.muster.spi.LeaderboardEntry;
import dev.muster.spi.LeaderboardScope;
import dev.muster.spi.Limits;
import dev.muster.spi.Rejection;
import dev.muster.spi.RejectionReason;
import dev.muster.spi.ReportStatus;
import dev.muster.spi.Requirements;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Verdict;
import dev.muster.spi.Worker;
import dev.muster.spi.WorkerId;
import dev.muster.spi.WorkerState;
import dev.muster.spi.policy.StoredResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Part of the store contract: a value of exactly its {@link Limits} entry, in every limited field,
 * is stored and comes back unchanged. Values are made of characters that take two to four bytes
 * in UTF-8 (and surrogate pairs, which count twice), so a store that counts bytes where the table
 * counts characters fails here. A store module extends this class and implements {@link #newStore()}.
 */
public abstract class LimitsContractTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** Two, three and four UTF-8 bytes; the last is a surrogate pair, two UTF-16 code units. */
    private static final String ALPHABET = "é€\uD834\uDD1E";

    /** The store under test; closed after each test. */
    protected Store store;

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

    /** @return text of exactly {@code limit.max()} UTF-16 code units that starts with {@code prefix} */
    static String atLimit(Limits limit, String prefix) {
        return exactly(limit.max(), prefix);
    }

    static String exactly(int length, String prefix) {
        StringBuilder b = new StringBuilder(prefix);
        int[] alphabet = ALPHABET.codePoints().toArray();
        for (int i = 0; b.length() < length; i++) {
            int cp = alphabet[i % alphabet.length];
            b.appendCodePoint(b.length() + Character.charCount(cp) <= length ? cp : 'x');
        }
        assertEquals(length, b.length());
        return b.toString();
    }

    private static Set<String> fullLabels(String tag) {
        Set<String> labels = new HashSet<>();
        for (int i = 0; i < Limits.LABELS.max(); i++) {
            labels.add(atLimit(Limits.LABEL, tag + i + ":"));
        }
        return labels;
    }

    @Test
    void valuesOfExactlyTheirLimit_areStoredAndReadBackUnchanged() {
        Set<String> labels = fullLabels("l");
        String owner = atLimit(Limits.OWNER, "owner-");
        Worker w = store.saveWorker(new Worker(new WorkerId(String.format("%032x", 7)), Keys.generate().getPublic(),
                owner, new Capabilities(4, 8192, false, labels), atLimit(Limits.CLIENT_BUILD, "build-"), 10,
                WorkerState.ACTIVE, T0, T0));
        assertEquals(w, store.worker(w.id()).orElseThrow(), "worker with owner, client build and labels at their limits");

        String submitter = atLimit(Limits.SUBMITTER, "sub-");
        String type = atLimit(Limits.JOB_TYPE, "type-");
        JobSpec.Builder b = JobSpec.builder(type, "payload".getBytes(StandardCharsets.UTF_8))
                .mediaType(atLimit(Limits.MEDIA_TYPE, "application/x-")).submitter(submitter)
                .requirements(new Requirements(1, 0, false, labels)).timeout(Duration.ofMinutes(1)).maxAttempts(1);
        JobSpec valid = b.seed(1).idempotencyKey(atLimit(Limits.IDEMPOTENCY_KEY, "a-")).build();
        JobSpec invalid = b.seed(2).idempotencyKey(atLimit(Limits.IDEMPOTENCY_KEY, "b-")).build();
        JobSpec cancelled = b.seed(3).idempotencyKey(atLimit(Limits.IDEMPOTENCY_KEY, "c-")).build();
        List<Job> jobs = store.submit(List.of(newJob(valid), newJob(invalid), newJob(cancelled))).stream()
                .map(Submitted::job).toList();
        for (int i = 0; i < jobs.size(); i++) {
            assertEquals(List.of(valid, invalid, cancelled).get(i), store.job(jobs.get(i).id()).orElseThrow().spec(),
                    "job spec " + i + " with every string at its limit");
        }
        assertEquals(jobs, store.jobs(new JobQuery(submitter, JobState.QUEUED, type, 0, 10)));
        // The same submission again finds the jobs by their (submitter, idempotency key).
        assertEquals(jobs.get(0).id(), store.submit(List.of(newJob(valid))).get(0).job().id());

        String reason = atLimit(Limits.FAILURE_REASON, "cancelled: ");
        assertEquals(reason, store.cancel(jobs.get(2).id(), T0, reason).orElseThrow().failureReason());
        assertEquals(reason, store.job(jobs.get(2).id()).orElseThrow().failureReason());

        List<LeasedJob> leased = store.lease(new LeaseRequest(w.id(), owner, w.capabilities(), 10, 10,
                Integer.MAX_VALUE, false, T0));
        assertEquals(2, leased.size());
        Map<String, String> metadata = new HashMap<>();
        for (int i = 0; i < Limits.METADATA_ENTRIES.max(); i++) {
            metadata.put(atLimit(Limits.METADATA_KEY, "k" + i + "="), atLimit(Limits.METADATA_VALUE, "v" + i + "="));
        }
        String verdictReason = atLimit(Limits.VERDICT_REASON, "wrong: ");
        for (LeasedJob l : leased) {
            boolean good = l.job().id().equals(jobs.get(0).id());
            ResultReport r = ResultReport.of(l.lease().jobId(), l.lease().replica(), l.job().spec().seed(),
                    "result".getBytes(StandardCharsets.UTF_8), metadata);
            ResultOutcome o = store.recordResults(w, List.of(new ResultRecord(r,
                    good ? Verdict.ok() : Verdict.invalid(verdictReason), 1.0)), T0, TestPolicies.firstValid()).get(0);
            assertEquals(good ? ReportStatus.ACCEPTED : ReportStatus.REJECTED, o.status(), o.detail());
            StoredResult stored = store.results(l.job().id()).get(0);
            assertEquals(metadata, stored.metadata(), "metadata with every entry at its limit");
            assertEquals(good ? "" : verdictReason, stored.invalidReason());
        }
        assertEquals(JobState.FAILED, store.job(jobs.get(1).id()).orElseThrow().state());
        List<LeaderboardEntry> board = store.leaderboard(LeaderboardScope.OWNER, null, 10);
        assertEquals(owner, board.get(0).name(), "owner at its limit on the leaderboard");

        String detail = atLimit(Limits.REJECTION_DETAIL, "detail: ");
        store.logRejection(new Rejection(T0, w.id(), jobs.get(0).id(), 0, RejectionReason.TOO_LARGE, detail));
        assertEquals(detail, store.rejections(1).get(0).detail());
    }

    @Test
    void pluginTextOverItsLimit_isTruncatedWithAMarker_andStored() {
        Job job = store.submit(List.of(newJob(JobSpec.builder("t", new byte[] {1}).maxAttempts(1).build()))).get(0)
                .job();
        Worker w = store.saveWorker(new Worker(new WorkerId(String.format("%032x", 8)), Keys.generate().getPublic(),
                "o", Capabilities.of(1, 0), "b", 1, WorkerState.ACTIVE, T0, T0));
        LeasedJob l = store.lease(new LeaseRequest(w.id(), "o", w.capabilities(), 1, 1, Integer.MAX_VALUE, false, T0))
                .get(0);
        // A validator that explains itself at length, with a NUL PostgreSQL cannot store.
        Verdict verdict = Verdict.invalid("\0" + exactly(5 * Limits.VERDICT_REASON.max(), "long: "));
        store.recordResults(w, List.of(new ResultRecord(ResultReport.of(l.lease().jobId(), 0, 0, new byte[0],
                Map.of()), verdict, 0)), T0, TestPolicies.firstValid());
        String stored = store.results(job.id()).get(0).invalidReason();
        assertEquals(Limits.VERDICT_REASON.max(), stored.length());
        assertTrue(stored.endsWith(Limits.TRUNCATION_MARKER), stored);
        assertTrue(stored.startsWith("\uFFFDlong: "), stored);
    }

    private static NewJob newJob(JobSpec spec) {
        return new NewJob(spec, spec.contentDigest(), spec.payloadDigest(), 1, T0);
    }
}
