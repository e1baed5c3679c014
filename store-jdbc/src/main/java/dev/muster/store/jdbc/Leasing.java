package dev.muster.store.jdbc;

import dev.muster.spi.JobState;
import dev.muster.spi.ReleaseReason;
import dev.muster.spi.TicketRef;
import dev.muster.spi.WorkerId;
import dev.muster.spi.store.JobLifecycle;
import dev.muster.spi.store.Lease;
import dev.muster.spi.store.LeaseRecord;
import dev.muster.spi.store.LeaseRequest;
import dev.muster.spi.store.LeasedJob;
import dev.muster.spi.store.Released;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Leases, the live replicas in {@code muster_replica}: taking waiting jobs for a worker within its
 * and its owner's limits, listing a worker's leases, and ending leases that expired or that a
 * worker released or gave up.
 */
final class Leasing {
    private final Transactions transactions;
    private final Dialect dialect;
    private final JobTable jobs;
    private final RequirementClasses requirementClasses;
    private final JobLifecycle lifecycle;
    private final LeasableJobs leasable;
    private final Turns turns;

    Leasing(Transactions transactions, Dialect dialect, JobTable jobs, RequirementClasses requirementClasses,
            JobLifecycle lifecycle) {
        this.transactions = transactions;
        this.dialect = dialect;
        this.jobs = jobs;
        this.requirementClasses = requirementClasses;
        this.lifecycle = lifecycle;
        this.leasable = dialect.leasableJobs();
        this.turns = dialect.turns();
    }

    /** @return the jobs leased, as {@link dev.muster.spi.store.Store#lease} describes */
    List<LeasedJob> lease(LeaseRequest r) {
        return turns.take(() -> transactions.write("lease jobs", c -> lease(c, r)));
    }

    private List<LeasedJob> lease(Connection c, LeaseRequest r) throws SQLException {
        // The worker's row serialises its own lease calls, so its limit cannot be overshot.
        Sql.lock(c, "select id from muster_worker where id = ?" + dialect.forUpdate,
                ps -> ps.setString(1, r.worker().value()));
        int room = Math.min(r.max(), r.workerLimit() - liveLeases(c, "worker_id", r.worker().value()));
        if (room > 0 && r.ownerLimit() < Integer.MAX_VALUE) {
            Sql.update(c, dialect.ensureOwner, ps -> ps.setString(1, r.owner()));
            Sql.lock(c, "select name from muster_owner where name = ?" + dialect.forUpdate,
                    ps -> ps.setString(1, r.owner()));
            room = Math.min(room, r.ownerLimit() - liveLeases(c, "owner", r.owner()));
        }
        if (room <= 0) {
            return List.of();
        }
        List<Integer> compatible = requirementClasses.compatible(c, r.capabilities());
        if (compatible.isEmpty()) {
            return List.of();
        }
        List<JobRow> picked = leasable.lock(c, jobs, r, compatible, room);
        if (picked.isEmpty()) {
            return List.of();
        }
        Instant now = r.now();
        long nowNanos = Nanos.of(now);
        List<LeasedJob> out = new ArrayList<>(picked.size());
        long wasQueued = 0;
        try (PreparedStatement job = c.prepareStatement("update muster_job set open_replicas = open_replicas - 1,"
                + " next_replica = next_replica + 1, queued = (open_replicas > 1), state = 'RUNNING'"
                + " where " + dialect.any("id"));
             PreparedStatement replica = c.prepareStatement("insert into muster_replica (job_id, replica, worker_id,"
                     + " owner, owner_key, leased_ns, deadline_ns, spares_attempt) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (JobRow j : picked) {
                if (j.state() == JobState.QUEUED) {
                    wasQueued++;
                }
                j.takeOpenReplica();
                int number = j.startReplica();
                Instant deadline = now.plus(j.spec().timeout());
                replica.setLong(1, j.key());
                replica.setInt(2, number);
                replica.setString(3, r.worker().value());
                replica.setString(4, r.owner());
                replica.setString(5, r.distinctOwners() ? r.owner() : null);
                replica.setLong(6, nowNanos);
                replica.setLong(7, Nanos.of(deadline));
                replica.setBoolean(8, r.sparesAttempts());
                replica.addBatch();
                out.add(new LeasedJob(new Lease(j.id(), number, r.worker(), r.owner(), now, deadline),
                        j.snapshot()));
            }
            dialect.bindLongs(job, 1, picked.stream().mapToLong(JobRow::key).toArray());
            job.executeUpdate();
            replica.executeBatch();
        }
        Map<String, Long> counts = new HashMap<>();
        counts.put(PoolCounts.LEASES, (long) out.size());
        counts.put(JobState.QUEUED.name(), -wasQueued);
        counts.put(JobState.RUNNING.name(), wasQueued);
        PoolCounts.add(c, counts);
        return out;
    }

    private static int liveLeases(Connection c, String column, String value) throws SQLException {
        return (int) Sql.queryLong(c, "select count(*) from muster_replica where " + column
                + " = ? and deadline_ns is not null", ps -> ps.setString(1, value));
    }

    /** @return the worker's live leases, by job and replica */
    List<Lease> leases(WorkerId worker) {
        return transactions.read("list a worker's leases", c -> Sql.query(c, "select " + JobRow.REPLICA_COLUMNS
                + " from muster_replica where worker_id = ? and deadline_ns is not null order by job_id, replica",
                ps -> ps.setString(1, worker.value()), rs -> JobRow.lease(rs).lease()));
    }

    /** @return up to {@code limit} leases whose deadline passed before {@code now}, ended */
    List<Released> expire(Instant now, int limit) {
        return transactions.write("expire leases", c -> {
            // Find due leases without locking them, then lock their jobs in id order: a job's lock
            // guards its replicas, and taking locks in one order keeps this from deadlocking with reports.
            long[] jobIds = Sql.longs(c, "select job_id from muster_replica where deadline_ns < ?"
                    + " order by deadline_ns limit ?", ps -> {
                        ps.setLong(1, Nanos.of(now));
                        ps.setInt(2, limit);
                    });
            List<Released> out = new ArrayList<>();
            return release(c, jobIds, l -> out.size() < limit && l.deadline().isBefore(now),
                    l -> "lease of worker " + l.worker() + " expired at " + l.deadline(), now, out);
        });
    }

    /** @return every live lease of the worker, ended */
    List<Released> release(WorkerId worker, Instant now, String reason) {
        return transactions.write("release a worker's leases", c -> {
            long[] jobIds = Sql.longs(c, "select job_id from muster_replica where worker_id = ?"
                    + " and deadline_ns is not null", ps -> ps.setString(1, worker.value()));
            return release(c, jobIds, l -> l.worker().equals(worker),
                    l -> "lease of worker " + worker + " released: " + reason, now, new ArrayList<>());
        });
    }

    /** Locks the jobs and ends each of their leases that {@code which} picks, into {@code out}; writes back. */
    private List<Released> release(Connection c, long[] jobIds, Predicate<LeaseRecord> which,
                                   java.util.function.Function<LeaseRecord, String> why, Instant now,
                                   List<Released> out) throws SQLException {
        return jobs.change(c, jobIds, (locked, changes) -> {
            for (long id : Arrays.stream(jobIds).distinct().sorted().toArray()) {
                JobRow job = locked.get(id);
                if (job == null) {
                    continue;
                }
                for (LeaseRecord l : List.copyOf(job.leases())) {
                    if (which.test(l) && job.leases().contains(l)) {
                        out.add(lifecycle.release(job, l, now, why.apply(l), changes));
                    }
                }
            }
            return out;
        });
    }

    /** @return the leases among {@code tickets} that the worker held and gave up, ended */
    List<Released> giveUp(WorkerId worker, List<TicketRef> tickets, Instant now, ReleaseReason reason,
                          String detail) {
        if (tickets.isEmpty()) {
            return List.of();
        }
        return transactions.write("release leases a worker gave up", c -> {
            // Lock only jobs the worker holds a lease on: the list is the caller's, and naming other
            // workers' jobs must not make their reports wait.
            long[] jobIds = Sql.longs(c, "select job_id from muster_replica where worker_id = ?"
                    + " and deadline_ns is not null and " + dialect.any("job_id"), ps -> {
                        ps.setString(1, worker.value());
                        dialect.bindLongs(ps, 2, tickets.stream().mapToLong(t -> t.jobId().value()).distinct()
                                .toArray());
                    });
            return jobs.change(c, jobIds, (locked, changes) -> {
                List<Released> out = new ArrayList<>();
                for (TicketRef t : tickets) {
                    Released r = lifecycle.giveUp(locked.get(t.jobId().value()), worker, t.replica(), now, reason,
                            detail, changes);
                    if (r != null) {
                        out.add(r);
                    }
                }
                return out;
            });
        });
    }
}
