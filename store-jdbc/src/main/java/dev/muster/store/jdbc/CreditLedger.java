package dev.muster.store.jdbc;

import dev.muster.spi.Checks;
import dev.muster.spi.CreditEntry;
import dev.muster.spi.CreditHistory;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.JobId;
import dev.muster.spi.LeaderboardEntry;
import dev.muster.spi.LeaderboardScope;
import dev.muster.spi.WorkerId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Credit and the leaderboard: {@code muster_credit} holds each granted entry (written with its
 * job's acceptance, see {@link WriteBack}), {@code muster_tally} the totals per worker and owner,
 * all time and per day. Entries are folded into the totals lazily, before the leaderboard is read
 * or jobs are purged, so that concurrent reports never queue on an owner's total.
 */
final class CreditLedger {
    /** Marks entries folded into the totals. */
    private static final RowWrites.Table<CreditEntry> FOLDED = new RowWrites.Table<>("muster_credit", List.of(
            new RowWrites.Column<>("job_id", RowWrites.Kind.BIGINT, e -> e.jobId().value()),
            new RowWrites.Column<>("replica", RowWrites.Kind.INT, CreditEntry::replica)), "folded = true", List.of());
    private static final String ENTRY_COLUMNS = "job_id, replica, worker_id, owner, amount, at_ns";
    private static final long DAY_NANOS = Duration.ofDays(1).toNanos();

    private final Transactions transactions;
    private final Dialect dialect;
    /** Without SKIP LOCKED, folds in this process take turns. */
    private final Turns turns;

    CreditLedger(Transactions transactions, Dialect dialect) {
        this.transactions = transactions;
        this.dialect = dialect;
        this.turns = dialect.turns();
    }

    private static final int FOLD_BATCH = 10_000;

    /** Folds every credit entry not yet in the leaderboard totals into them, a batch per transaction. */
    void fold() {
        turns.take(() -> {
            while (transactions.write("fold credit into the leaderboard", this::foldBatch) == FOLD_BATCH) {
                // another batch
            }
            return null;
        });
    }

    private int foldBatch(Connection c) throws SQLException {
        List<CreditEntry> batch = Sql.query(c, "select " + ENTRY_COLUMNS
                + " from muster_credit where folded = false limit ?"
                + dialect.lockSkippingLocked(), ps -> ps.setInt(1, FOLD_BATCH),
                CreditLedger::entry);
        if (batch.isEmpty()) {
            return 0;
        }
        addToTallies(c, dialect, batch, 1);
        dialect.rowWrites().update(c, FOLDED, batch);
        return batch.size();
    }

    /**
     * Adds credit to the leaderboard totals ({@code sign} 1), or takes it off ({@code sign} -1):
     * all time and the day's, per worker and per owner. Rows are written in key order, so
     * concurrent reports wait on each other at worst, never in a cycle.
     */
    private static void addToTallies(Connection c, Dialect dialect, List<CreditEntry> credits, int sign)
            throws SQLException {
        record Key(String scope, int day, String name) implements Comparable<Key> {
            @Override
            public int compareTo(Key o) {
                int byScope = scope.compareTo(o.scope);
                if (byScope != 0) {
                    return byScope;
                }
                int byDay = Integer.compare(day, o.day);
                return byDay != 0 ? byDay : name.compareTo(o.name);
            }
        }
        TreeMap<Key, double[]> sums = new TreeMap<>();
        for (CreditEntry e : credits) {
            int day = day(e.at());
            for (Key k : List.of(new Key("W", -1, e.worker().value()), new Key("W", day, e.worker().value()),
                    new Key("O", -1, e.owner()), new Key("O", day, e.owner()))) {
                double[] sum = sums.computeIfAbsent(k, x -> new double[2]);
                sum[0] += sign * e.amount();
                sum[1] += sign;
            }
        }
        Sql.batch(c, dialect.addToTally, sums.entrySet(), (ps, e) -> {
            ps.setString(1, e.getKey().scope());
            ps.setInt(2, e.getKey().day());
            ps.setString(3, e.getKey().name());
            ps.setDouble(4, e.getValue()[0]);
            ps.setLong(5, (long) e.getValue()[1]);
        });
    }

    /**
     * Revokes every credit entry of retracted jobs, inside their transaction: entries already
     * folded come off the totals they were added to, then all are deleted. The entries are locked
     * first, so a concurrent fold (which skips locked rows, or takes its turn) cannot fold one
     * that is being revoked.
     */
    static void revoke(Connection c, Dialect dialect, List<Long> jobIds) throws SQLException {
        if (jobIds.isEmpty()) {
            return;
        }
        long[] ids = jobIds.stream().mapToLong(Long::longValue).distinct().toArray();
        List<CreditEntry> folded = new ArrayList<>();
        Sql.forEach(c, "select " + ENTRY_COLUMNS + ", folded from muster_credit where " + dialect.any("job_id")
                + " order by job_id, replica" + dialect.forUpdate, ps -> dialect.bindLongs(ps, 1, ids), rs -> {
                    if (rs.getBoolean(7)) {
                        folded.add(entry(rs));
                    }
                });
        if (!folded.isEmpty()) {
            addToTallies(c, dialect, folded, -1);
        }
        Sql.update(c, "delete from muster_credit where " + dialect.any("job_id"), ps -> dialect.bindLongs(ps, 1, ids));
    }

    /** @return the credit granted for a job */
    List<CreditEntry> credits(JobId id) {
        return transactions.read("read credit", c -> Sql.query(c, "select " + ENTRY_COLUMNS
                + " from muster_credit where job_id = ? order by replica", ps -> ps.setLong(1, id.value()),
                CreditLedger::entry));
    }

    /** @return the top rows, as {@link dev.muster.spi.store.Store#leaderboard} describes */
    List<LeaderboardEntry> leaderboard(LeaderboardScope scope, Instant since, int limit) {
        if (limit < 1) {
            throw new InvalidRequestException("leaderboard limit must be at least 1, was " + limit);
        }
        fold();
        return transactions.read("read the leaderboard", c -> {
            String sql = since == null
                    ? "select name, credit, results from muster_tally where scope = ? and day_no = -1"
                            + " and results > 0 order by credit desc, name limit ?"
                    : "select name, sum(credit) as credit, sum(results) as results from muster_tally"
                            + " where scope = ? and day_no >= ? group by name having sum(results) > 0"
                            + " order by credit desc, name limit ?";
            List<LeaderboardEntry> out = new ArrayList<>();
            Sql.forEach(c, sql, ps -> {
                int i = 1;
                ps.setString(i++, scopeCode(scope));
                if (since != null) {
                    ps.setInt(i++, day(since));
                }
                ps.setInt(i, limit);
            }, rs -> out.add(new LeaderboardEntry(out.size() + 1, rs.getString(1), rs.getDouble(2), rs.getLong(3))));
            return out;
        });
    }

    /** @return the histories, as {@link dev.muster.spi.store.Store#creditHistory} describes */
    List<CreditHistory> history(LeaderboardScope scope, Collection<String> names, LocalDate fromDay) {
        Checks.size(names, "names", 1_000);
        if (names.isEmpty()) {
            return List.of();
        }
        fold();
        return transactions.read("read credit histories", c -> {
            Map<String, double[]> totals = new TreeMap<>();
            Map<String, List<CreditHistory.Day>> days = new HashMap<>();
            Sql.forEach(c, "select name, day_no, credit, results from muster_tally where scope = ? and "
                    + dialect.any("name") + " and (day_no = -1 or day_no >= ?) and results > 0 order by name, day_no",
                    ps -> {
                        ps.setString(1, scopeCode(scope));
                        dialect.bindStrings(ps, 2, List.copyOf(new java.util.LinkedHashSet<>(names)));
                        ps.setLong(3, fromDay.toEpochDay());
                    }, rs -> {
                        String name = rs.getString(1);
                        long day = rs.getLong(2);
                        if (day < 0) {
                            totals.put(name, new double[] {rs.getDouble(3), rs.getLong(4)});
                        } else {
                            days.computeIfAbsent(name, k -> new ArrayList<>()).add(new CreditHistory.Day(
                                    LocalDate.ofEpochDay(day), rs.getDouble(3), rs.getLong(4)));
                        }
                    });
            List<CreditHistory> out = new ArrayList<>(totals.size());
            totals.forEach((name, t) -> out.add(new CreditHistory(name, t[0], (long) t[1],
                    days.getOrDefault(name, List.of()))));
            return out;
        });
    }

    private static CreditEntry entry(ResultSet rs) throws SQLException {
        return new CreditEntry(new JobId(rs.getLong(1)), rs.getInt(2), new WorkerId(rs.getString(3)),
                rs.getString(4), rs.getDouble(5), Nanos.instant(rs.getLong(6)));
    }

    private static String scopeCode(LeaderboardScope scope) {
        return scope == LeaderboardScope.WORKER ? "W" : "O";
    }

    private static int day(Instant t) {
        return (int) Math.floorDiv(Nanos.of(t), DAY_NANOS);
    }
}
