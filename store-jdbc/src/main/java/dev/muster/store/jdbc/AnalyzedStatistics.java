package dev.muster.store.jdbc;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's planner statistics, refreshed by the store. Leasing is fast only while the planner
 * knows how many jobs wait: with statistics from an emptier table it sorts the whole queue instead
 * of reading the head of the leasing index. Autovacuum looks at a table once a minute at best,
 * which is too late after a bulk submission, so the store itself analyzes its busy tables whenever
 * submissions since the last time reach half the rows then counted (and at least 20,000), on a
 * thread of its own; and at once, before the submission returns, when they reach all of them (at
 * least 10,000).
 */
final class AnalyzedStatistics implements PlannerStatistics {
    private static final Logger LOG = LoggerFactory.getLogger(AnalyzedStatistics.class);

    private final StoreTransactions transactions;
    private final ExecutorService analyzer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "muster-store-analyze");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong changedSinceAnalyze = new AtomicLong();
    private final AtomicBoolean analyzing = new AtomicBoolean();
    private volatile long rowsAtAnalyze;

    AnalyzedStatistics(StoreTransactions transactions) {
        this.transactions = transactions;
    }

    @Override
    public void changed(long rows) {
        if (transactions.closed()) {
            return;
        }
        long total = changedSinceAnalyze.addAndGet(rows);
        if (total >= Math.max(10_000, rowsAtAnalyze) && analyzing.compareAndSet(false, true)) {
            // The table more than doubled (a bulk submission): the caller waits for fresh
            // statistics, so the leases that follow do not plan with the old ones.
            changedSinceAnalyze.set(0);
            try {
                analyze();
            } finally {
                analyzing.set(false);
            }
            return;
        }
        if (total >= Math.max(20_000, rowsAtAnalyze / 2) && analyzing.compareAndSet(false, true)) {
            changedSinceAnalyze.set(0);
            try {
                analyzer.execute(() -> {
                    try {
                        analyze();
                    } finally {
                        analyzing.set(false);
                    }
                });
            } catch (RejectedExecutionException e) {
                analyzing.set(false);
            }
        }
    }

    private void analyze() {
        try {
            rowsAtAnalyze = transactions.write("analyze the store's tables", c -> {
                try (java.sql.Statement s = c.createStatement()) {
                    s.execute("analyze muster_job, muster_replica, muster_credit");
                }
                return Sql.queryOne(c, "select greatest(reltuples, 0)::bigint from pg_class"
                        + " where relname = 'muster_job'", Sql.NO_PARAMETERS, rs -> rs.getLong(1)).orElse(0L);
            });
        } catch (RuntimeException e) {
            if (!transactions.closed()) {
                LOG.warn("analyzing the store's tables failed; the planner keeps older statistics: {}", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        analyzer.shutdownNow();
    }
}
