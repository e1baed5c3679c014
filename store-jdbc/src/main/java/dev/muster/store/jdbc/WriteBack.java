package dev.muster.store.jdbc;

import dev.muster.spi.CreditEntry;
import dev.muster.spi.JobState;
import dev.muster.spi.Limits;
import dev.muster.spi.policy.StoredResult;
import dev.muster.spi.store.JobChanges;
import dev.muster.spi.store.LeaseRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
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
    private final Map<Long, JobRow> jobs = new LinkedHashMap<>();
    private final List<LeaseRecord> ended = new ArrayList<>();
    private final List<StoredResult> answered = new ArrayList<>();
    private final List<CreditEntry> credits = new ArrayList<>();
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

    /** Writes every change told so far, in a few batched statements. */
    void flush(Connection c, Dialect dialect) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            flushSetBased(c);
        } else {
            flushRowByRow(c);
        }
        if (!credits.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("insert into muster_credit (job_id, replica, worker_id,"
                    + " owner, amount, at_ns) values (?, ?, ?, ?, ?, ?)")) {
                for (CreditEntry e : credits) {
                    ps.setLong(1, e.jobId().value());
                    ps.setInt(2, e.replica());
                    ps.setString(3, e.worker().value());
                    ps.setString(4, e.owner());
                    ps.setDouble(5, e.amount());
                    ps.setLong(6, Nanos.of(e.at()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        PoolCounts.add(c, counts);
    }

    /**
     * PostgreSQL: each kind of change is one statement over arrays (unnest), so the server
     * plans and runs it once per batch rather than once per row.
     */
    private void flushSetBased(Connection c) throws SQLException {
        if (!ended.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("delete from muster_replica r using unnest(?::bigint[],"
                    + " ?::int[]) as v(job_id, replica) where r.job_id = v.job_id and r.replica = v.replica")) {
                ps.setArray(1, c.createArrayOf("bigint", ended.stream().map(l -> l.lease().jobId().value()).toArray()));
                ps.setArray(2, c.createArrayOf("int4", ended.stream().map(LeaseRecord::replica).toArray()));
                ps.executeUpdate();
            }
        }
        if (!answered.isEmpty()) {
            int n = answered.size();
            Object[] jobIds = new Object[n];
            Object[] replicas = new Object[n];
            Object[] at = new Object[n];
            Object[] digests = new Object[n];
            byte[][] results = new byte[n][];
            Object[] metadata = new Object[n];
            Object[] valid = new Object[n];
            Object[] reasons = new Object[n];
            Object[] credit = new Object[n];
            for (int i = 0; i < n; i++) {
                StoredResult r = answered.get(i);
                jobIds[i] = r.jobId().value();
                replicas[i] = r.replica();
                at[i] = Nanos.of(r.at());
                digests[i] = r.resultDigest();
                results[i] = r.result();
                metadata[i] = Metadata.encode(r.metadata());
                valid[i] = r.valid();
                reasons[i] = r.invalidReason();
                credit[i] = r.claimedCredit();
            }
            try (PreparedStatement ps = c.prepareStatement("update muster_replica r set deadline_ns = null,"
                    + " answered_ns = v.at, result_digest = v.digest, result = v.result, metadata = v.metadata,"
                    + " valid = v.valid, invalid_reason = v.reason, claimed_credit = v.credit"
                    + " from unnest(?::bigint[], ?::int[], ?::bigint[], ?::varchar[], ?::bytea[], ?::text[],"
                    + " ?::boolean[], ?::varchar[], ?::float8[])"
                    + " as v(job_id, replica, at, digest, result, metadata, valid, reason, credit)"
                    + " where r.job_id = v.job_id and r.replica = v.replica")) {
                ps.setArray(1, c.createArrayOf("bigint", jobIds));
                ps.setArray(2, c.createArrayOf("int4", replicas));
                ps.setArray(3, c.createArrayOf("bigint", at));
                ps.setArray(4, c.createArrayOf("varchar", digests));
                ps.setArray(5, c.createArrayOf("bytea", results));
                ps.setArray(6, c.createArrayOf("text", metadata));
                ps.setArray(7, c.createArrayOf("bool", valid));
                ps.setArray(8, c.createArrayOf("varchar", reasons));
                ps.setArray(9, c.createArrayOf("float8", credit));
                ps.executeUpdate();
            }
        }
        if (!jobs.isEmpty()) {
            int n = jobs.size();
            Object[] ids = new Object[n];
            Object[] states = new Object[n];
            Object[] wanted = new Object[n];
            Object[] attempts = new Object[n];
            Object[] open = new Object[n];
            Object[] queued = new Object[n];
            Object[] finished = new Object[n];
            Object[] acceptedDigest = new Object[n];
            Object[] reasons = new Object[n];
            int i = 0;
            for (JobRow j : jobs.values()) {
                ids[i] = j.key();
                states[i] = j.state().name();
                wanted[i] = j.replicasWanted();
                attempts[i] = j.attempts();
                open[i] = j.open();
                queued[i] = j.wantsReplicas();
                finished[i] = j.finishedAt() == null ? null : Nanos.of(j.finishedAt());
                acceptedDigest[i] = j.acceptedDigest();
                reasons[i] = fitted(j.failureReason());
                i++;
            }
            try (PreparedStatement ps = c.prepareStatement("update muster_job j set state = v.state,"
                    + " replicas_wanted = v.wanted, attempts = v.attempts, open_replicas = v.open,"
                    + " queued = v.queued, finished_ns = v.finished, accepted_digest = v.accepted,"
                    + " failure_reason = v.reason from unnest(?::bigint[], ?::varchar[], ?::int[], ?::int[],"
                    + " ?::int[], ?::boolean[], ?::bigint[], ?::varchar[], ?::varchar[])"
                    + " as v(id, state, wanted, attempts, open, queued, finished, accepted, reason)"
                    + " where j.id = v.id")) {
                ps.setArray(1, c.createArrayOf("bigint", ids));
                ps.setArray(2, c.createArrayOf("varchar", states));
                ps.setArray(3, c.createArrayOf("int4", wanted));
                ps.setArray(4, c.createArrayOf("int4", attempts));
                ps.setArray(5, c.createArrayOf("int4", open));
                ps.setArray(6, c.createArrayOf("bool", queued));
                ps.setArray(7, c.createArrayOf("bigint", finished));
                ps.setArray(8, c.createArrayOf("varchar", acceptedDigest));
                ps.setArray(9, c.createArrayOf("varchar", reasons));
                ps.executeUpdate();
            }
        }
    }

    /** H2: JDBC batches, which an embedded database runs without a round trip per row anyway. */
    private void flushRowByRow(Connection c) throws SQLException {
        if (!ended.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "delete from muster_replica where job_id = ? and replica = ?")) {
                for (LeaseRecord l : ended) {
                    ps.setLong(1, l.lease().jobId().value());
                    ps.setInt(2, l.replica());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (!answered.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("update muster_replica set deadline_ns = null,"
                    + " answered_ns = ?, result_digest = ?, result = ?, metadata = ?, valid = ?,"
                    + " invalid_reason = ?, claimed_credit = ? where job_id = ? and replica = ?")) {
                for (StoredResult s : answered) {
                    ps.setLong(1, Nanos.of(s.at()));
                    ps.setString(2, s.resultDigest());
                    ps.setBytes(3, s.result());
                    ps.setString(4, Metadata.encode(s.metadata()));
                    ps.setBoolean(5, s.valid());
                    ps.setString(6, s.invalidReason());
                    ps.setDouble(7, s.claimedCredit());
                    ps.setLong(8, s.jobId().value());
                    ps.setInt(9, s.replica());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (!jobs.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("update muster_job set state = ?, replicas_wanted = ?,"
                    + " attempts = ?, open_replicas = ?, queued = ?, finished_ns = ?, accepted_digest = ?,"
                    + " failure_reason = ? where id = ?")) {
                for (JobRow j : jobs.values()) {
                    ps.setString(1, j.state().name());
                    ps.setInt(2, j.replicasWanted());
                    ps.setInt(3, j.attempts());
                    ps.setInt(4, j.open());
                    ps.setBoolean(5, j.wantsReplicas());
                    if (j.finishedAt() == null) {
                        ps.setNull(6, Types.BIGINT);
                    } else {
                        ps.setLong(6, Nanos.of(j.finishedAt()));
                    }
                    ps.setString(7, j.acceptedDigest());
                    ps.setString(8, fitted(j.failureReason()));
                    ps.setLong(9, j.key());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }
}
