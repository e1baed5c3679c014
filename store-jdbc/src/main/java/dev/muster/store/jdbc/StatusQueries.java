package dev.muster.store.jdbc;

import dev.muster.spi.Capabilities;
import dev.muster.spi.HourlyOutcomes;
import dev.muster.spi.OpenJobs;
import dev.muster.spi.WorkerGroup;
import dev.muster.spi.WorkerState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reads behind operators' status pages and gauges: unfinished jobs by type and requirement
 * class (through the index of unfinished jobs, so the history is not read), workers by state,
 * cores, GPU and labels with their live leases, and jobs decided per hour (through the index on
 * {@code finished_ns}).
 */
final class StatusQueries {
    private static final long HOUR_NANOS = Duration.ofHours(1).toNanos();

    private final Transactions transactions;
    private final RequirementClasses classes;

    StatusQueries(Transactions transactions, RequirementClasses classes) {
        this.transactions = transactions;
        this.classes = classes;
    }

    /**
     * Two reads: the counts, from the index of unfinished jobs alone; then, of the running jobs
     * only (as many as the work in progress), those that have a valid answer.
     */
    List<OpenJobs> openJobs() {
        return transactions.read("count the unfinished jobs", c -> {
            record Key(String type, int classId) {}
            Map<Key, long[]> counts = new LinkedHashMap<>();
            Map<Key, Instant> oldest = new HashMap<>();
            Sql.forEach(c, "select type, class_id, state, count(*), min(submitted_ns) from muster_job"
                    + " where state in ('QUEUED', 'RUNNING') group by type, class_id, state order by type, class_id",
                    Sql.NO_PARAMETERS, rs -> {
                        Key key = new Key(rs.getString(1), rs.getInt(2));
                        boolean queued = rs.getString(3).equals("QUEUED");
                        counts.computeIfAbsent(key, k -> new long[3])[queued ? 0 : 1] += rs.getLong(4);
                        if (queued) {
                            oldest.put(key, Nanos.instant(rs.getLong(5)));
                        }
                    });
            // The first term is the index's own condition, which SQLite needs to see to use it.
            Sql.forEach(c, "select j.type, j.class_id, count(*) from muster_job j where j.state in ('QUEUED', 'RUNNING')"
                    + " and j.state = 'RUNNING'"
                    + " and exists (select 1 from muster_replica r where r.job_id = j.id and r.valid = true)"
                    + " group by j.type, j.class_id", Sql.NO_PARAMETERS,
                    rs -> counts.computeIfAbsent(new Key(rs.getString(1), rs.getInt(2)), k -> new long[3])[2]
                            += rs.getLong(3));
            List<OpenJobs> out = new ArrayList<>(counts.size());
            for (Map.Entry<Key, long[]> e : counts.entrySet()) {
                long[] n = e.getValue();
                out.add(new OpenJobs(e.getKey().type(), classes.requirements(c, e.getKey().classId()), n[0], n[1],
                        n[2], oldest.get(e.getKey())));
            }
            return out;
        });
    }

    List<WorkerGroup> workerGroups() {
        return transactions.read("count the workers", c -> Sql.query(c,
                "select w.state, w.cores, max(w.memory_mb), w.gpu, w.labels, count(*), sum(w.max_leases),"
                        + " max(w.last_seen_ns), coalesce(sum(l.n), 0) from muster_worker w left join"
                        + " (select worker_id, count(*) as n from muster_replica where deadline_ns is not null"
                        + " group by worker_id) l on l.worker_id = w.id"
                        + " group by w.state, w.cores, w.gpu, w.labels", Sql.NO_PARAMETERS,
                rs -> new WorkerGroup(WorkerState.valueOf(rs.getString(1)), new Capabilities(rs.getInt(2),
                        rs.getLong(3), rs.getBoolean(4), WorkerTable.labels(rs.getString(5))), rs.getLong(6),
                        rs.getLong(7), rs.getLong(9), Nanos.instant(rs.getLong(8)))));
    }

    List<HourlyOutcomes> finishedPerHour(Instant since) {
        long from = Math.floorDiv(Nanos.of(since), HOUR_NANOS) * HOUR_NANOS;
        return transactions.read("count the jobs decided per hour", c -> {
            TreeMap<Long, long[]> hours = new TreeMap<>();
            Sql.forEach(c, "select finished_ns / " + HOUR_NANOS + ", state, count(*) from muster_job"
                    + " where finished_ns >= ? and state in ('ACCEPTED', 'FAILED')"
                    + " group by finished_ns / " + HOUR_NANOS + ", state", ps -> ps.setLong(1, from),
                    rs -> hours.computeIfAbsent(rs.getLong(1), k -> new long[2])
                            [rs.getString(2).equals("ACCEPTED") ? 0 : 1] += rs.getLong(3));
            List<HourlyOutcomes> out = new ArrayList<>(hours.size());
            hours.forEach((h, n) -> out.add(new HourlyOutcomes(Nanos.instant(h * HOUR_NANOS), n[0], n[1])));
            return out;
        });
    }
}
