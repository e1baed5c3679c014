package dev.muster.store.jdbc;

import dev.muster.spi.Checks;
import dev.muster.spi.JobId;
import dev.muster.spi.WorkerId;
import dev.muster.spi.policy.KeyTrust;
import dev.muster.spi.policy.TrustPolicy;
import dev.muster.spi.store.Backtrack;
import dev.muster.spi.store.JobLifecycle;
import dev.muster.spi.store.Retraction;
import dev.muster.spi.store.TrustBook;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The standing of worker keys ({@code muster_standing}) and backtracking of banned keys. Inside a
 * job's transaction the lifecycle reads and changes standings through {@link #book}; a change
 * locks the key's row first (creating it if the key was never judged), so two coordinators
 * striking one key at once cannot lose a strike.
 */
final class KeyStandings {
    private static final String COLUMNS = "worker_id, passed, strikes, banned_ns, ban_reason, backtracked, updated_ns";

    private final Transactions transactions;
    private final Dialect dialect;
    private final JobTable jobs;
    private final JobLifecycle lifecycle;

    KeyStandings(Transactions transactions, Dialect dialect, JobTable jobs, JobLifecycle lifecycle) {
        this.transactions = transactions;
        this.dialect = dialect;
        this.jobs = jobs;
        this.lifecycle = lifecycle;
    }

    /** @return the standings of the transaction on {@code c} */
    TrustBook book(Connection c) {
        return new TrustBook() {
            @Override
            public Map<WorkerId, KeyTrust> read(Collection<WorkerId> workers) {
                try {
                    return KeyStandings.this.read(c, workers);
                } catch (SQLException e) {
                    throw new SqlFailure(e);
                }
            }

            @Override
            public KeyTrust update(WorkerId worker, UnaryOperator<KeyTrust> change) {
                try {
                    return KeyStandings.this.update(c, worker, change);
                } catch (SQLException e) {
                    throw new SqlFailure(e);
                }
            }
        };
    }

    /**
     * Carries an SQL failure out of a {@link TrustBook} call, which cannot throw checked exceptions,
     * to {@link #unwrapped}, which throws the cause again inside the transaction.
     */
    static final class SqlFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SqlFailure(SQLException cause) {
            super(cause);
        }
    }

    /** Runs {@code work}, throwing an SQL failure of a {@link TrustBook} call as the SQLException it was. */
    static <T> T unwrapped(Transactions.Work<T> work, Connection c) throws SQLException {
        try {
            return work.run(c);
        } catch (SqlFailure e) {
            throw (SQLException) e.getCause();
        }
    }

    private Map<WorkerId, KeyTrust> read(Connection c, Collection<WorkerId> workers) throws SQLException {
        Map<WorkerId, KeyTrust> out = new HashMap<>(workers.size() * 2);
        for (WorkerId w : workers) {
            out.put(w, KeyTrust.newcomer(w));
        }
        if (workers.isEmpty()) {
            return out;
        }
        Sql.forEach(c, "select " + COLUMNS + " from muster_standing where " + dialect.any("worker_id"),
                ps -> dialect.bindStrings(ps, 1, workers.stream().map(WorkerId::value).distinct().toList()),
                rs -> {
                    KeyTrust t = row(rs);
                    out.put(t.worker(), t);
                });
        return out;
    }

    private KeyTrust update(Connection c, WorkerId worker, UnaryOperator<KeyTrust> change) throws SQLException {
        Sql.update(c, dialect.ensureStanding(), ps -> ps.setString(1, worker.value()));
        KeyTrust before = Sql.queryOne(c, "select " + COLUMNS + " from muster_standing where worker_id = ?"
                + dialect.forUpdate, ps -> ps.setString(1, worker.value()), KeyStandings::row).orElseThrow();
        KeyTrust after = change.apply(before);
        if (!after.worker().equals(worker)) {
            throw new IllegalArgumentException("a change of " + worker + "'s standing returned " + after.worker()
                    + "'s");
        }
        Sql.update(c, "update muster_standing set passed = ?, strikes = ?, banned_ns = ?, ban_reason = ?,"
                + " backtracked = ?, updated_ns = ? where worker_id = ?", ps -> {
                    ps.setLong(1, after.passed());
                    ps.setInt(2, after.strikes());
                    setInstant(ps, 3, after.bannedAt());
                    ps.setString(4, after.banReason());
                    ps.setBoolean(5, after.backtracked());
                    setInstant(ps, 6, after.updatedAt());
                    ps.setString(7, worker.value());
                });
        if (after.banned() && !before.banned()) {
            Sql.update(c, "update muster_worker set state = 'BANNED' where id = ?", ps -> ps.setString(1,
                    worker.value()));
        }
        return after;
    }

    private static void setInstant(java.sql.PreparedStatement ps, int index, Instant t) throws SQLException {
        if (t == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, Nanos.of(t));
        }
    }

    private static KeyTrust row(ResultSet rs) throws SQLException {
        return new KeyTrust(new WorkerId(rs.getString(1)), rs.getLong(2), rs.getInt(3),
                Nanos.instantOrNull(rs, "banned_ns"), rs.getString(5), rs.getBoolean(6),
                Nanos.instantOrNull(rs, "updated_ns"));
    }

    KeyTrust trust(WorkerId worker) {
        return transactions.read("read a key's standing", c -> read(c, List.of(worker)).get(worker));
    }

    KeyTrust update(WorkerId worker, UnaryOperator<KeyTrust> change) {
        return transactions.write("change a key's standing", c -> update(c, worker, change));
    }

    List<KeyTrust> toBacktrack(int limit) {
        return transactions.read("list keys to backtrack", c -> Sql.query(c, "select " + COLUMNS
                + " from muster_standing where backtracked = false and banned_ns is not null"
                + " order by banned_ns, worker_id limit ?", ps -> ps.setInt(1, limit), KeyStandings::row));
    }

    /**
     * One page of {@link dev.muster.spi.store.Store#backtrack}, in one transaction: the accepted
     * jobs that a valid result of the key carried, locked in id order and reconsidered.
     */
    Backtrack backtrack(WorkerId worker, JobId after, int limit, Instant now, TrustPolicy policy) {
        Checks.range(limit, "backtrack limit", 1, Integer.MAX_VALUE);
        return transactions.write("backtrack a banned key", c -> unwrapped(tx -> {
            long[] ids = Sql.longs(tx, "select r.job_id from muster_replica r join muster_job j on j.id = r.job_id"
                    + " where r.worker_id = ? and r.job_id > ? and r.valid = true and j.state = 'ACCEPTED'"
                    + " and r.result_digest = j.accepted_digest order by r.job_id limit ?", ps -> {
                        ps.setString(1, worker.value());
                        ps.setLong(2, after == null ? 0 : after.value());
                        ps.setInt(3, limit);
                    });
            TrustBook book = book(tx);
            List<Retraction> retracted = jobs.change(tx, ids, (locked, changes) -> {
                List<Retraction> out = new ArrayList<>();
                for (long id : ids) {
                    JobRow job = locked.get(id);
                    Retraction r = job == null ? null
                            : lifecycle.reconsider(job, now, "key " + worker + " was banned", policy, changes, book);
                    if (r != null) {
                        out.add(r);
                    }
                }
                return out;
            });
            boolean done = ids.length < limit;
            if (done && read(tx, List.of(worker)).get(worker).banned()) {
                update(tx, worker, t -> t.markBacktracked(now));
            }
            JobId last = ids.length == 0 ? after : new JobId(ids[ids.length - 1]);
            return new Backtrack(retracted, last, done);
        }, c));
    }
}
