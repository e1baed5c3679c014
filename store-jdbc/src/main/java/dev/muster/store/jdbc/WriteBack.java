package dev.muster.store.jdbc;

import dev.muster.spi.CreditEntry;
import dev.muster.spi.JobState;
import dev.muster.spi.Limits;
import dev.muster.spi.policy.StoredResult;
import dev.muster.spi.store.JobChanges;
import dev.muster.spi.store.LeaseRecord;
import dev.muster.store.jdbc.RowWrites.Column;
import dev.muster.store.jdbc.RowWrites.Kind;
import dev.muster.store.jdbc.RowWrites.Table;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one transaction changed on the jobs it locked, as {@link dev.muster.spi.store.JobLifecycle}
 * tells it, written back at the transaction's end in a few batched statements: the jobs are
 * locked, so the order of writes inside the transaction does not matter.
 */
final class WriteBack implements JobChanges<JobRow> {
    /** A lease that ended without an answer: its replica row goes. */
    private static final Table<LeaseRecord> ENDED = new Table<>("muster_replica", List.of(
            new Column<>("job_id", Kind.BIGINT, l -> l.lease().jobId().value()),
            new Column<>("replica", Kind.INT, LeaseRecord::replica)), "", List.of());
    /** A lease that ended with an answer: its replica row holds the answer. */
    private static final Table<StoredResult> ANSWERED = new Table<>("muster_replica", List.of(
            new Column<>("job_id", Kind.BIGINT, r -> r.jobId().value()),
            new Column<>("replica", Kind.INT, StoredResult::replica)), "deadline_ns = null", List.of(
            new Column<>("answered_ns", Kind.BIGINT, r -> Nanos.of(r.at())),
            new Column<>("result_digest", Kind.VARCHAR, StoredResult::resultDigest),
            new Column<>("result", Kind.BYTEA, StoredResult::result),
            new Column<>("metadata", Kind.TEXT, r -> Metadata.encode(r.metadata())),
            new Column<>("valid", Kind.BOOL, StoredResult::valid),
            new Column<>("invalid_reason", Kind.VARCHAR, StoredResult::invalidReason),
            new Column<>("claimed_credit", Kind.FLOAT8, StoredResult::claimedCredit)));
    /** A job's state and counters, as the lifecycle left them. */
    private static final Table<JobRow> JOBS = new Table<>("muster_job", List.of(
            new Column<>("id", Kind.BIGINT, JobRow::key)), "", List.of(
            new Column<>("state", Kind.VARCHAR, j -> j.state().name()),
            new Column<>("replicas_wanted", Kind.INT, JobRow::replicasWanted),
            new Column<>("attempts", Kind.INT, JobRow::attempts),
            new Column<>("open_replicas", Kind.INT, JobRow::open),
            new Column<>("queued", Kind.BOOL, JobRow::wantsReplicas),
            new Column<>("finished_ns", Kind.BIGINT, j -> j.finishedAt() == null ? null : Nanos.of(j.finishedAt())),
            new Column<>("accepted_digest", Kind.VARCHAR, JobRow::acceptedDigest),
            new Column<>("failure_reason", Kind.VARCHAR, j -> fitted(j.failureReason()))));

    private final Map<Long, JobRow> jobs = new LinkedHashMap<>();
    private final List<LeaseRecord> ended = new ArrayList<>();
    private final List<StoredResult> answered = new ArrayList<>();
    private final List<CreditEntry> credits = new ArrayList<>();
    private final List<Long> retracted = new ArrayList<>();
    /** Jobs that go behind their submitter's waiting jobs: a tag past the submitter's last. */
    private final List<Long> behind = new ArrayList<>();
    private final Map<String, Long> counts = new HashMap<>();

    private void count(String name, long delta) {
        counts.merge(name, delta, Long::sum);
    }

    private void touched(JobRow job) {
        jobs.put(job.key(), job);
    }

    /** A failure reason cut to its limit, which its column holds. */
    private static String fitted(String reason) {
        return Limits.FAILURE_REASON.fit(reason);
    }

    @Override
    public void leaseEnded(JobRow job, LeaseRecord lease) {
        ended.add(lease);
        count(PoolCounts.LEASES, -1);
        touched(job);
    }

    @Override
    public void answered(JobRow job, LeaseRecord lease, StoredResult result) {
        answered.add(result);
        count(PoolCounts.LEASES, -1);
        touched(job);
    }

    @Override
    public void stateChanged(JobRow job, JobState from) {
        count(from.name(), -1);
        count(job.state().name(), 1);
        touched(job);
    }

    @Override
    public void reopened(JobRow job) {
        touched(job);
    }

    @Override
    public void replicasAdded(JobRow job) {
        behind.add(job.key());
        touched(job);
    }

    @Override
    public void updated(JobRow job) {
        touched(job);
    }

    @Override
    public void finished(JobRow job) {
        touched(job);
    }

    @Override
    public void credited(JobRow job, List<CreditEntry> granted) {
        credits.addAll(granted);
        touched(job);
    }

    @Override
    public void retracted(JobRow job) {
        retracted.add(job.key());
        touched(job);
    }

    /** Writes every change told so far, in a few batched statements, the way the database writes best. */
    void flush(Connection c, Dialect dialect) throws SQLException {
        RowWrites writes = dialect.rowWrites();
        // The head of the queue before these jobs rejoin it: a submitter that fell behind it
        // (nothing waiting) has its added replica queue from the head, as its next submission would.
        long head = behind.isEmpty() ? 0 : Sql.queryOne(c, "select tag from muster_job where queued = true order by "
                + dialect.readyOrder + " limit 1", Sql.NO_PARAMETERS, rs -> rs.getLong(1)).orElse(0L);
        writes.delete(c, ENDED, ended);
        writes.update(c, ANSWERED, answered);
        writes.update(c, JOBS, jobs.values());
        if (!behind.isEmpty()) {
            // Read without a lock: a submission that takes the same tag meanwhile only ties, broken by id.
            Sql.update(c, "update muster_job set tag = coalesce((select case when s.last_tag >= ? then s.last_tag"
                    + " else ? end + 1 from muster_submitter s where s.name = muster_job.submitter), tag) where "
                    + dialect.any("id"), ps -> {
                        ps.setLong(1, head);
                        ps.setLong(2, head);
                        dialect.bindLongs(ps, 3, behind.stream().mapToLong(Long::longValue).toArray());
                    });
        }
        // Before new credit: a job retracted and accepted anew in one transaction is credited afresh.
        CreditLedger.revoke(c, dialect, retracted);
        if (!credits.isEmpty()) {
            Sql.batch(c, "insert into muster_credit (job_id, replica, worker_id, owner, amount, at_ns)"
                    + " values (?, ?, ?, ?, ?, ?)", credits, (ps, e) -> {
                        ps.setLong(1, e.jobId().value());
                        ps.setInt(2, e.replica());
                        ps.setString(3, e.worker().value());
                        ps.setString(4, e.owner());
                        ps.setDouble(5, e.amount());
                        ps.setLong(6, Nanos.of(e.at()));
                    });
        }
        PoolCounts.add(c, counts);
    }
}
