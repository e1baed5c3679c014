package dev.muster.store.jdbc;

import dev.muster.spi.JobState;
import dev.muster.spi.PoolSummary;
import dev.muster.spi.WorkerState;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The pool's running counts in {@code muster_count} (jobs per state, live leases), kept in
 * shards so that concurrent transactions rarely wait on one row, and the pool summary read from
 * them.
 */
final class PoolCounts {
    /** The count of live leases, beside one count per job state. */
    static final String LEASES = "LEASES";
    private static final int SHARDS = 16;

    private final Transactions transactions;

    PoolCounts(Transactions transactions) {
        this.transactions = transactions;
    }

    /** Adds count deltas, in name order so two transactions never wait on each other's rows in turn. */
    static void add(Connection c, Map<String, Long> deltas) throws SQLException {
        int shard = ThreadLocalRandom.current().nextInt(SHARDS);
        TreeMap<String, Long> sorted = new TreeMap<>(deltas);
        sorted.values().removeIf(n -> n == 0);
        if (sorted.isEmpty()) {
            return;
        }
        Sql.batch(c, "update muster_count set n = n + ? where name = ? and shard = ?", sorted.entrySet(), (ps, d) -> {
            ps.setLong(1, d.getValue());
            ps.setString(2, d.getKey());
            ps.setInt(3, shard);
        });
    }

    /** @return workers per state, jobs per state, live leases and rejections logged */
    PoolSummary summary() {
        return transactions.read("summarise the pool", c -> {
            Map<WorkerState, Long> workers = new EnumMap<>(WorkerState.class);
            for (WorkerState s : WorkerState.values()) {
                workers.put(s, 0L);
            }
            Sql.forEach(c, "select state, count(*) from muster_worker group by state", Sql.NO_PARAMETERS,
                    rs -> workers.put(WorkerState.valueOf(rs.getString(1)), rs.getLong(2)));
            Map<String, Long> counts = new HashMap<>();
            Sql.forEach(c, "select name, sum(n) from muster_count group by name", Sql.NO_PARAMETERS,
                    rs -> counts.put(rs.getString(1), rs.getLong(2)));
            Map<JobState, Long> jobs = new EnumMap<>(JobState.class);
            for (JobState s : JobState.values()) {
                jobs.put(s, counts.getOrDefault(s.name(), 0L));
            }
            long rejections = Sql.queryLong(c, "select coalesce(max(id), 0) from muster_rejection", Sql.NO_PARAMETERS);
            return new PoolSummary(workers, jobs, counts.getOrDefault(LEASES, 0L), rejections);
        });
    }
}
