package dev.muster.store.jdbc;

import dev.muster.spi.JobId;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.Requirements;
import dev.muster.spi.WorkerId;
import dev.muster.spi.policy.StoredResult;
import dev.muster.spi.store.JobRecord;
import dev.muster.spi.store.LeaseRecord;
import dev.muster.spi.store.SpotCheck;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/** A row of {@code muster_job} with its requirement class, and the codecs of its rows. */
final class JobRow extends JobRecord {
    /** The columns of {@code muster_job} that {@link #read} reads. */
    static final String COLUMNS = "id, submitter, type, payload, media_type, seed, priority, class_id,"
            + " timeout_ms, max_attempts, idempotency_key, digest, payload_digest, state, replicas_wanted, attempts,"
            + " open_replicas, next_replica, submitted_ns, finished_ns, accepted_digest, failure_reason, spot_source,"
            + " spot_digest, traceparent";
    /** The columns of {@code muster_replica} that {@link #lease} and {@link #result} read. */
    static final String REPLICA_COLUMNS = "job_id, replica, worker_id, owner, leased_ns, deadline_ns,"
            + " answered_ns, result_digest, result, metadata, valid, invalid_reason, claimed_credit, spares_attempt";

    final int classId;

    /** A job just submitted. */
    JobRow(JobId id, JobSpec spec, String digest, String payloadDigest, int replicas, Instant submittedAt,
           int classId) {
        super(id, spec, digest, payloadDigest, replicas, submittedAt);
        this.classId = classId;
    }

    private JobRow(ResultSet rs, int classId, Requirements requirements) throws SQLException {
        super(new JobId(rs.getLong("id")), new JobSpec(rs.getString("type"), rs.getBytes("payload"),
                        rs.getString("media_type"), rs.getLong("seed"), rs.getInt("priority"), requirements,
                        Duration.ofMillis(rs.getLong("timeout_ms")), rs.getInt("max_attempts"),
                        rs.getString("submitter"), rs.getString("idempotency_key"), rs.getString("traceparent")),
                rs.getString("digest"), rs.getString("payload_digest"), Nanos.instant(rs.getLong("submitted_ns")),
                JobState.valueOf(rs.getString("state")), rs.getInt("replicas_wanted"), rs.getInt("attempts"),
                rs.getInt("open_replicas"), rs.getInt("next_replica"), Nanos.instantOrNull(rs, "finished_ns"),
                rs.getString("accepted_digest"), rs.getString("failure_reason"));
        this.classId = classId;
        long source = rs.getLong("spot_source");
        if (!rs.wasNull()) {
            spotCheck(new SpotCheck(new JobId(source), rs.getString("spot_digest")));
        }
    }

    /** @return the job in the current row of {@code rs}, without its leases and answers */
    static JobRow read(ResultSet rs, int classId, Requirements requirements) throws SQLException {
        return new JobRow(rs, classId, requirements);
    }

    /** @return the id as its column holds it */
    long key() {
        return id().value();
    }

    /** @return the live lease in the current row of a replica query; the row must not be answered */
    static LeaseRecord lease(ResultSet rs) throws SQLException {
        LeaseRecord lease = new LeaseRecord(new JobId(rs.getLong("job_id")), rs.getInt("replica"),
                new WorkerId(rs.getString("worker_id")), rs.getString("owner"),
                Nanos.instant(rs.getLong("leased_ns")), Nanos.instantOrNull(rs, "deadline_ns"));
        lease.sparesAttempt(rs.getBoolean("spares_attempt"));
        return lease;
    }

    /** @return the answer in the current row of a replica query, or null if it is a live lease */
    static StoredResult result(ResultSet rs) throws SQLException {
        Instant answered = Nanos.instantOrNull(rs, "answered_ns");
        if (answered == null) {
            return null;
        }
        return new StoredResult(new JobId(rs.getLong("job_id")), rs.getInt("replica"),
                new WorkerId(rs.getString("worker_id")), rs.getString("owner"), rs.getString("result_digest"),
                rs.getBytes("result"), Metadata.decode(rs.getString("metadata")), rs.getBoolean("valid"),
                rs.getString("invalid_reason"), rs.getDouble("claimed_credit"), answered);
    }
}
