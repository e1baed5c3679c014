package dev.muster.store.jdbc;

import dev.muster.spi.Checks;
import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.JobQuery;
import dev.muster.spi.policy.StoredResult;
import dev.muster.spi.store.JobLifecycle;
import java.time.Instant;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reading jobs from {@code muster_job}, and locking them with their replicas for a transaction
 * that changes them: a job's row lock guards its replicas, and jobs are locked in id order so
 * that transactions locking several cannot deadlock.
 */
final class JobTable {
    private final Transactions transactions;
    private final Dialect dialect;
    private final RequirementClasses requirementClasses;

    JobTable(Transactions transactions, Dialect dialect, RequirementClasses requirementClasses) {
        this.transactions = transactions;
        this.dialect = dialect;
        this.requirementClasses = requirementClasses;
    }

    /** @return the job in the current row of a query over {@link JobRow#COLUMNS}, without its replicas */
    JobRow row(ResultSet rs) throws SQLException {
        int classId = rs.getInt("class_id");
        return JobRow.read(rs, classId, requirementClasses.requirements(rs.getStatement().getConnection(), classId));
    }

    Optional<Job> job(JobId id) {
        return transactions.read("read a job", c -> Sql.queryOne(c, "select " + JobRow.COLUMNS
                + " from muster_job where id = ?", ps -> ps.setLong(1, id.value()), rs -> row(rs).snapshot()));
    }

    List<JobId> spotChecksOf(JobId source, int limit) {
        Checks.range(limit, "limit", 1, Integer.MAX_VALUE);
        long[] ids = transactions.read("read spot-checks", c -> Sql.longs(c, "select id from muster_job"
                + " where spot_source = ? order by id limit ?", ps -> {
                    ps.setLong(1, source.value());
                    ps.setInt(2, limit);
                }));
        return Arrays.stream(ids).mapToObj(JobId::new).toList();
    }

    Map<JobId, Job> jobsById(Collection<JobId> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return transactions.read("read jobs", c -> {
            Map<JobId, Job> out = new HashMap<>(ids.size() * 2);
            Sql.forEach(c, "select " + JobRow.COLUMNS + " from muster_job where " + dialect.any("id"),
                    ps -> dialect.bindLongs(ps, 1, ids.stream().mapToLong(JobId::value).distinct().toArray()), rs -> {
                        Job j = row(rs).snapshot();
                        out.put(j.id(), j);
                    });
            return out;
        });
    }

    List<Job> jobs(JobQuery q) {
        return transactions.read("list jobs", c -> {
            // No bound on the ids scanned: the (submitter, id) and (state, id) indexes find matches
            // in id order, so a page is short only at the end, whatever lies between.
            StringBuilder sql = new StringBuilder("select " + JobRow.COLUMNS + " from muster_job where id > ?");
            List<Object> args = new ArrayList<>();
            args.add(q.after());
            if (q.submitter() != null) {
                sql.append(" and submitter = ?");
                args.add(q.submitter());
            }
            if (q.state() != null) {
                sql.append(" and state = ?");
                args.add(q.state().name());
            }
            if (q.type() != null) {
                sql.append(" and type = ?");
                args.add(q.type());
            }
            // Ordering by the filtered column first changes nothing (it has one value) but lets H2
            // see that the index is already in order; it sorted every match after the cursor.
            sql.append(q.submitter() != null ? " order by submitter, id" : q.state() != null ? " order by state, id"
                    : " order by id").append(" limit ?");
            args.add(q.limit());
            return Sql.query(c, sql.toString(), ps -> {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
            }, rs -> row(rs).snapshot());
        });
    }

    /** What a transaction does to the jobs it locked, telling {@code changes} what it changed. */
    @FunctionalInterface
    interface Change<T> {
        T apply(Map<Long, JobRow> jobs, WriteBack changes) throws SQLException;
    }

    /** Cancels a job in its own transaction, by {@code lifecycle}'s rules. @return the job after, if it exists */
    Optional<Job> cancel(JobId id, Instant at, String reason, JobLifecycle lifecycle) {
        return transactions.write("cancel a job", c -> change(c, new long[] {id.value()}, (jobs, changes) -> {
            JobRow job = jobs.get(id.value());
            if (job == null) {
                return Optional.<Job>empty();
            }
            lifecycle.cancel(job, at, reason, changes);
            return Optional.of(job.snapshot());
        }));
    }

    /** @return what {@code change} returned, run on the jobs locked, after its changes were written back */
    <T> T change(Connection c, long[] ids, Change<T> change) throws SQLException {
        Map<Long, JobRow> locked = lock(c, ids);
        WriteBack changes = new WriteBack();
        T out = change.apply(locked, changes);
        changes.flush(c, dialect);
        return out;
    }

    /** Locks jobs in id order and loads them with their replicas. @return the jobs found, by id */
    Map<Long, JobRow> lock(Connection c, long[] ids) throws SQLException {
        long[] sorted = Arrays.stream(ids).distinct().sorted().toArray();
        Map<Long, JobRow> out = new HashMap<>(sorted.length * 2);
        if (sorted.length == 0) {
            return out;
        }
        Sql.forEach(c, "select " + JobRow.COLUMNS + " from muster_job where " + dialect.any("id") + " order by id"
                + dialect.forUpdate, ps -> dialect.bindLongs(ps, 1, sorted), rs -> {
                    JobRow j = row(rs);
                    out.put(j.key(), j);
                });
        if (out.isEmpty()) {
            return out;
        }
        long[] found = out.keySet().stream().mapToLong(Long::longValue).toArray();
        Sql.forEach(c, "select " + JobRow.REPLICA_COLUMNS + " from muster_replica where " + dialect.any("job_id")
                + " order by answered_ns, replica", ps -> dialect.bindLongs(ps, 1, found), rs -> {
                    // Answers come oldest first, as the lifecycle wants them.
                    JobRow j = out.get(rs.getLong("job_id"));
                    StoredResult answer = JobRow.result(rs);
                    if (answer == null) {
                        j.addLease(JobRow.lease(rs));
                    } else {
                        j.addResult(answer);
                    }
                });
        return out;
    }
}
