package dev.muster.store.jdbc;

import dev.muster.spi.IdempotencyConflictException;
import dev.muster.spi.JobId;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.store.NewJob;
import dev.muster.spi.store.Submitted;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Submission: inserting new jobs into {@code muster_job} in batches, with their idempotency
 * (an earlier job of the same submitter and key is answered instead of a new one) and the
 * per-submitter tags in {@code muster_submitter} that make the queue alternate submitters.
 */
final class Submissions {
    private static final int MAX_IN_LIST = 10_000;

    private final Transactions transactions;
    private final Dialect dialect;
    private final JobTable jobs;
    private final RequirementClasses requirementClasses;
    private final PlannerStatistics statistics;

    Submissions(Transactions transactions, Dialect dialect, JobTable jobs, RequirementClasses requirementClasses,
                PlannerStatistics statistics) {
        this.transactions = transactions;
        this.dialect = dialect;
        this.jobs = jobs;
        this.requirementClasses = requirementClasses;
        this.statistics = statistics;
    }

    /** @return what became of each new job, in order, as {@link dev.muster.spi.store.Store#submit} describes */
    List<Submitted> submit(List<NewJob> newJobs) {
        if (newJobs.isEmpty()) {
            return List.of();
        }
        int[] classOf = new int[newJobs.size()];
        for (int i = 0; i < newJobs.size(); i++) {
            classOf[i] = requirementClasses.id(newJobs.get(i).spec().requirements());
        }
        List<Submitted> out = transactions.write("submit jobs", c -> submit(c, newJobs, classOf));
        statistics.changed(out.stream().filter(Submitted::created).count());
        return out;
    }

    private List<Submitted> submit(Connection c, List<NewJob> newJobs, int[] classOf) throws SQLException {
        int size = newJobs.size();
        Map<String, Map<String, JobRow>> earlier = earlier(c, newJobs);
        JobRow[] result = new JobRow[size];
        boolean[] created = new boolean[size];
        Map<String, Integer> firstInBatch = new HashMap<>();
        int fresh = 0;
        for (int i = 0; i < size; i++) {
            NewJob n = newJobs.get(i);
            JobRow prior = earlier.get(n.spec().submitter()).get(n.dedupKey());
            if (prior != null) {
                checkSameContent(n, prior.digest());
                result[i] = prior;
                continue;
            }
            Integer first = firstInBatch.putIfAbsent(n.spec().submitter() + "\n" + n.dedupKey(), i);
            if (first != null) {
                checkSameContent(n, newJobs.get(first).digest());
                continue;
            }
            created[i] = true;
            fresh++;
        }
        if (fresh > 0) {
            insert(c, newJobs, classOf, created, fresh, result);
        }
        List<Submitted> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            if (result[i] == null) {
                NewJob n = newJobs.get(i);
                result[i] = result[firstInBatch.get(n.spec().submitter() + "\n" + n.dedupKey())];
            }
            out.add(new Submitted(result[i].snapshot(), created[i]));
        }
        return out;
    }

    /** @return earlier jobs with the same (submitter, dedup key) as jobs of the batch, by submitter and key */
    private Map<String, Map<String, JobRow>> earlier(Connection c, List<NewJob> newJobs) throws SQLException {
        Map<String, Map<String, JobRow>> earlier = new HashMap<>();
        Map<String, List<String>> keysBySubmitter = new LinkedHashMap<>();
        for (NewJob n : newJobs) {
            keysBySubmitter.computeIfAbsent(n.spec().submitter(), k -> new ArrayList<>()).add(n.dedupKey());
        }
        for (Map.Entry<String, List<String>> e : keysBySubmitter.entrySet()) {
            Map<String, JobRow> found = new HashMap<>();
            List<String> keys = e.getValue();
            for (int from = 0; from < keys.size(); from += MAX_IN_LIST) {
                List<String> chunk = keys.subList(from, Math.min(keys.size(), from + MAX_IN_LIST));
                // A join on the array, not "= any": H2 would use the index for the submitter only.
                Sql.forEach(c, "select j.dedup_key, j." + JobRow.COLUMNS.replace(", ", ", j.") + " from "
                        + dialect.stringsJoin + " muster_job j on j.submitter = ? and j.dedup_key = u.k", ps -> {
                            dialect.bindStrings(ps, 1, chunk);
                            ps.setString(2, e.getKey());
                        }, rs -> found.put(rs.getString("dedup_key"), jobs.row(rs)));
            }
            earlier.put(e.getKey(), found);
        }
        return earlier;
    }

    /** Inserts the jobs marked created, with new ids and their submitters' next tags, into {@code result}. */
    private void insert(Connection c, List<NewJob> newJobs, int[] classOf, boolean[] created, int fresh,
                        JobRow[] result) throws SQLException {
        long[] ids = dialect.nextJobIds(c, fresh);
        Map<String, Long> tags = tags(c, newJobs, created);
        try (PreparedStatement ps = c.prepareStatement("insert into muster_job (id, submitter, dedup_key, type,"
                + " payload, media_type, seed, priority, class_id, timeout_ms, max_attempts, idempotency_key,"
                + " digest, payload_digest, state, replicas_wanted, attempts, open_replicas, next_replica, queued,"
                + " tag, submitted_ns, spot_source, spot_digest, traceparent) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?, ?, ?, ?, 'QUEUED', ?, 0, ?, 0, true, ?, ?, ?, ?, ?)")) {
            int next = 0;
            for (int i = 0; i < newJobs.size(); i++) {
                if (!created[i]) {
                    continue;
                }
                NewJob n = newJobs.get(i);
                JobSpec s = n.spec();
                JobRow j = new JobRow(new JobId(ids[next++]), s, n.digest(), n.payloadDigest(), n.replicas(),
                        n.submittedAt(), classOf[i]);
                result[i] = j;
                long tag = tags.merge(s.submitter(), 1L, Long::sum);
                ps.setLong(1, j.key());
                ps.setString(2, s.submitter());
                ps.setString(3, n.dedupKey());
                ps.setString(4, s.type());
                ps.setBytes(5, s.payload());
                ps.setString(6, s.mediaType());
                ps.setLong(7, s.seed());
                ps.setInt(8, s.priority());
                ps.setInt(9, j.classId);
                ps.setLong(10, s.timeout().toMillis());
                ps.setInt(11, s.maxAttempts());
                ps.setString(12, s.idempotencyKey());
                ps.setString(13, n.digest());
                ps.setString(14, n.payloadDigest());
                ps.setInt(15, n.replicas());
                ps.setInt(16, n.replicas());
                ps.setLong(17, tag);
                ps.setLong(18, Nanos.of(n.submittedAt()));
                if (n.spotCheck() == null) {
                    ps.setNull(19, java.sql.Types.BIGINT);
                    ps.setNull(20, java.sql.Types.VARCHAR);
                } else {
                    ps.setLong(19, n.spotCheck().source().value());
                    ps.setString(20, n.spotCheck().knownDigest());
                    j.spotCheck(n.spotCheck());
                }
                ps.setString(21, s.traceparent());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        Sql.batch(c, "update muster_submitter set last_tag = ? where name = ?", new TreeMap<>(tags).entrySet(),
                (ps, t) -> {
                    ps.setLong(1, t.getValue());
                    ps.setString(2, t.getKey());
                });
        PoolCounts.add(c, Map.of(JobState.QUEUED.name(), (long) fresh));
    }

    private static void checkSameContent(NewJob n, String earlierDigest) {
        if (n.spec().idempotencyKey() != null && !earlierDigest.equals(n.digest())) {
            throw new IdempotencyConflictException("idempotency key '" + n.spec().idempotencyKey()
                    + "' of submitter '" + n.spec().submitter() + "' already names a job with digest "
                    + earlierDigest + ", not " + n.digest());
        }
    }

    /**
     * Locks each submitter of the batch (in name order) and returns the tag its next job follows:
     * its last tag, or the tag at the head of the queue if it has fallen behind, so a submitter
     * returning after a pause takes turns with the others instead of jumping ahead of them all.
     */
    private Map<String, Long> tags(Connection c, List<NewJob> newJobs, boolean[] created) throws SQLException {
        TreeSet<String> submitters = new TreeSet<>();
        for (int i = 0; i < newJobs.size(); i++) {
            if (created[i]) {
                submitters.add(newJobs.get(i).spec().submitter());
            }
        }
        long head = Sql.queryOne(c, "select tag from muster_job where queued = true order by " + dialect.readyOrder
                + " limit 1", Sql.NO_PARAMETERS, rs -> rs.getLong(1) - 1).orElse(0L);
        Map<String, Long> out = new HashMap<>();
        for (String s : submitters) {
            Sql.update(c, dialect.ensureSubmitter, ps -> ps.setString(1, s));
            long last = Sql.queryLong(c, "select last_tag from muster_submitter where name = ?" + dialect.forUpdate,
                    ps -> ps.setString(1, s));
            out.put(s, Math.max(last, head));
        }
        return out;
    }
}
