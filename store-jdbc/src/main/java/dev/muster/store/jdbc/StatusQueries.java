package dev.muster.store.jdbc;

import dev.muster.spi.Capabilities;
import dev.muster.spi.HourlyOutcomes;
import dev.muster.spi.OpenJobs;
import dev.muster.spi.WorkerGroup;
import dev.muster.spi.WorkerState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reads behind operators' status pages and gauges: unfinished jobs by type and requirement
 * class (through the index of unfinished jobs, so the history is not read), workers by state and
 * capabilities with their live leases, and jobs decided per hour (through the index on
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

    List<OpenJobs> openJobs() {
        return transactions.read("count the unfinished jobs", c -> {
            record Row(String type, int classId, long queued, long running, long awaiting, Instant oldest) {}
            Map<List<Object>, Row> rows = new LinkedHashMap<>();
            Sql.forEach(c, "select j.type, j.class_id, j.state, count(*), min(j.submitted_ns),"
                    + " sum(case when j.state = 'RUNNING' and exists (select 1 from muster_replica r"
                    + " where r.job_id = j.id and r.valid = true) then 1 else 0 end)"
                    + " from muster_job j where j.state in ('QUEUED', 'RUNNING')"
                    + " group by j.type, j.class_id, j.state order by j.type, j.class_id", Sql.NO_PARAMETERS, rs -> {
                        boolean queued = rs.getString(3).equals("QUEUED");
                        long n = rs.getLong(4);
                        Row add = new Row(rs.getString(1), rs.getInt(2), queued ? n : 0, queued ? 0 : n,
                                rs.getLong(6), queued ? Nanos.instant(rs.getLong(5)) : null);
                        rows.merge(List.of(add.type(), add.classId()), add, (a, b) -> new Row(a.type(), a.classId(),
                                a.queued() + b.queued(), a.running() + b.running(), a.awaiting() + b.awaiting(),
                                a.oldest() != null ? a.oldest() : b.oldest()));
                    });
            List<OpenJobs> out = new ArrayList<>(rows.size());
            for (Row r : rows.values()) {
                out.add(new OpenJobs(r.type(), classes.requirements(c, r.classId()), r.queued(), r.running(),
                        r.awaiting(), r.oldest()));
            }
            return out;
        });
    }

    List<WorkerGroup> workerGroups() {
        return transactions.read("count the workers", c -> Sql.query(c,
                "select w.state, w.cores, w.memory_mb, w.gpu, w.labels, count(*), sum(w.max_leases),"
                        + " max(w.last_seen_ns), coalesce(sum(l.n), 0) from muster_worker w left join"
                        + " (select worker_id, count(*) as n from muster_replica where deadline_ns is not null"
                        + " group by worker_id) l on l.worker_id = w.id"
                        + " group by w.state, w.cores, w.memory_mb, w.gpu, w.labels", Sql.NO_PARAMETERS,
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
