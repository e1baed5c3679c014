package dev.muster.store.jdbc;

import dev.muster.spi.store.LeaseRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How leasing finds the waiting jobs a worker may take and locks them, which differs by database
 * ({@link Dialect#leasableJobs()} picks): PostgreSQL locks only the rows it returns and skips rows
 * others hold; H2 would lock every row it scans, so there the jobs are found first and locked
 * after, by id, while leases of this process take turns (an embedded database has no other
 * process), and a job that changed in between is passed over.
 */
abstract sealed class LeasableJobs permits LeasableJobs.SkipLocked, LeasableJobs.FindThenLock {
    final Dialect dialect;

    LeasableJobs(Dialect dialect) {
        this.dialect = dialect;
    }

    /**
     * @return up to {@code room} waiting jobs of the {@code compatible} requirement classes that
     *         the worker (and, when asked, its owner) holds no replica of, in queue order, locked
     */
    abstract List<JobRow> lock(Connection c, JobTable jobs, LeaseRequest r, List<Integer> compatible, int room)
            throws SQLException;

    /**
     * The query that finds leasable jobs, reading {@code columns} and ending in {@code locking}; for
     * {@code spotChecks}, only the coordinator's spot-checks.
     */
    final String find(String columns, String locking, boolean spotChecks) {
        return "select " + columns + " from muster_job j where j.queued = true and " + dialect.any("j.class_id")
                + " and not exists (select 1 from muster_replica x where x.job_id = j.id"
                + " and (x.worker_id = ? or x.owner = ?))"
                // A spot-check never goes to an owner that answered or holds the job it repeats.
                + " and (j.spot_source is null or not exists (select 1 from muster_replica y"
                + " where y.job_id = j.spot_source and y.owner = ?))"
                + (spotChecks ? " and j.spot_source is not null" : "")
                + " order by " + dialect.readyOrder + " limit ?" + locking;
    }

    final void bind(PreparedStatement ps, LeaseRequest r, List<Integer> compatible, int room) throws SQLException {
        dialect.bindInts(ps, 1, compatible);
        ps.setString(2, r.worker().value());
        if (r.distinctOwners()) {
            ps.setString(3, r.owner());
        } else {
            ps.setNull(3, Types.VARCHAR);
        }
        ps.setString(4, r.owner());
        ps.setInt(5, room);
    }

    /** {@code FOR UPDATE SKIP LOCKED}: coordinators sharing the database never queue behind each other. */
    static final class SkipLocked extends LeasableJobs {
        private final String find;
        private final String findSpotChecks;

        SkipLocked(Dialect dialect) {
            super(dialect);
            this.find = find(JobRow.COLUMNS, dialect.forUpdate + " skip locked", false);
            this.findSpotChecks = find(JobRow.COLUMNS, dialect.forUpdate + " skip locked", true);
        }

        @Override
        List<JobRow> lock(Connection c, JobTable jobs, LeaseRequest r, List<Integer> compatible, int room)
                throws SQLException {
            List<JobRow> picked = new ArrayList<>(Math.min(room, 1024));
            Sql.forEach(c, r.onlySpotChecks() ? findSpotChecks : find, ps -> bind(ps, r, compatible, room),
                    rs -> picked.add(jobs.row(rs)));
            if (picked.isEmpty() || !r.distinctOwners()) {
                return picked;
            }
            return withoutOwnersReplicas(c, picked, r.owner());
        }

        /**
         * The finding query judged eligibility on its own snapshot; a job another worker of the same
         * owner leased and committed meanwhile is locked fine but no longer eligible. Now that the
         * jobs are locked, a new statement sees every committed replica. (Without this the unique
         * constraint would refuse the insert and the whole lease would be retried.)
         */
        private List<JobRow> withoutOwnersReplicas(Connection c, List<JobRow> picked, String owner)
                throws SQLException {
            Set<Long> taken = new HashSet<>();
            Sql.forEach(c, "select job_id from muster_replica where " + dialect.any("job_id") + " and owner = ?",
                    ps -> {
                        dialect.bindLongs(ps, 1, picked.stream().mapToLong(JobRow::key).toArray());
                        ps.setString(2, owner);
                    }, rs -> taken.add(rs.getLong(1)));
            return taken.isEmpty() ? picked : picked.stream().filter(j -> !taken.contains(j.key())).toList();
        }
    }

    /** Find without locking, then lock what was found by id; leases must take turns ({@link Turns.OneAtATime}). */
    static final class FindThenLock extends LeasableJobs {
        private final String find;
        private final String findSpotChecks;
        private final String lock;

        FindThenLock(Dialect dialect) {
            super(dialect);
            this.find = find("id", "", false);
            this.findSpotChecks = find("id", "", true);
            this.lock = "select " + JobRow.COLUMNS + " from muster_job where " + dialect.any("id")
                    + " and queued = true order by id" + dialect.forUpdate;
        }

        @Override
        List<JobRow> lock(Connection c, JobTable jobs, LeaseRequest r, List<Integer> compatible, int room)
                throws SQLException {
            long[] found = Sql.longs(c, r.onlySpotChecks() ? findSpotChecks : find,
                    ps -> bind(ps, r, compatible, room));
            if (found.length == 0) {
                return List.of();
            }
            Map<Long, JobRow> locked = new HashMap<>();
            Sql.forEach(c, lock, ps -> dialect.bindLongs(ps, 1, found), rs -> {
                JobRow j = jobs.row(rs);
                locked.put(j.key(), j);
            });
            List<JobRow> picked = new ArrayList<>(found.length);
            for (long id : found) {
                JobRow j = locked.get(id);
                if (j != null && j.wantsReplicas()) {
                    picked.add(j);
                }
            }
            return picked;
        }
    }
}
