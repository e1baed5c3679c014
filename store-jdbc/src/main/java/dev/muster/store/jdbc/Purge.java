package dev.muster.store.jdbc;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Deleting finished jobs with their replicas and credit entries, oldest first, after their credit is folded. */
final class Purge {
    private final Transactions transactions;
    private final Dialect dialect;
    private final CreditLedger ledger;

    Purge(Transactions transactions, Dialect dialect, CreditLedger ledger) {
        this.transactions = transactions;
        this.dialect = dialect;
        this.ledger = ledger;
    }

    /** @return how many of the jobs finished before {@code finishedBefore}, at most {@code limit}, were deleted */
    int finished(Instant finishedBefore, int limit) {
        ledger.fold();
        return transactions.write("purge finished jobs", c -> {
            long[] ids = Sql.longs(c, "select id from muster_job where finished_ns < ? order by finished_ns limit ?",
                    ps -> {
                        ps.setLong(1, Nanos.of(finishedBefore));
                        ps.setInt(2, limit);
                    });
            if (ids.length == 0) {
                return 0;
            }
            Sql.Binder theIds = ps -> dialect.bindLongs(ps, 1, ids);
            Map<String, Long> counts = new HashMap<>();
            Sql.forEach(c, "select state, count(*) from muster_job where " + dialect.any("id") + " group by state",
                    theIds, rs -> counts.put(rs.getString(1), -rs.getLong(2)));
            for (String table : new String[] {"muster_replica", "muster_credit"}) {
                Sql.update(c, "delete from " + table + " where " + dialect.any("job_id"), theIds);
            }
            int deleted = Sql.update(c, "delete from muster_job where " + dialect.any("id"), theIds);
            PoolCounts.add(c, counts);
            return deleted;
        });
    }
}
