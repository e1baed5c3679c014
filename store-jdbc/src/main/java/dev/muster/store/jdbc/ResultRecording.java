package dev.muster.store.jdbc;

import dev.muster.spi.JobId;
import dev.muster.spi.Rejection;
import dev.muster.spi.Worker;
import dev.muster.spi.policy.StoredResult;
import dev.muster.spi.policy.TrustPolicy;
import dev.muster.spi.store.JobLifecycle;
import dev.muster.spi.store.ResultOutcome;
import dev.muster.spi.store.ResultRecord;
import dev.muster.spi.store.TrustBook;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Recording reported results: one transaction locks the report's jobs, the lifecycle applies its
 * rules to each answer (reading and changing key standings on the same connection), and the
 * changes are written back together with the report's rejection-log rows.
 */
final class ResultRecording {
    private final Transactions transactions;
    private final JobTable jobTable;
    private final KeyStandings standings;
    private final RejectionTable rejectionTable;
    private final JobLifecycle lifecycle;

    ResultRecording(Transactions transactions, JobTable jobTable, KeyStandings standings,
                    RejectionTable rejectionTable, JobLifecycle lifecycle) {
        this.transactions = transactions;
        this.jobTable = jobTable;
        this.standings = standings;
        this.rejectionTable = rejectionTable;
        this.lifecycle = lifecycle;
    }

    /** @return one outcome per record, as {@link dev.muster.spi.store.Store#recordResults} describes */
    List<ResultOutcome> record(Worker worker, List<ResultRecord> records, List<Rejection> rejections, Instant now,
                               TrustPolicy policy) {
        if (records.isEmpty() && rejections.isEmpty()) {
            return List.of();
        }
        long[] ids = records.stream().mapToLong(r -> r.report().jobId().value()).toArray();
        List<ResultOutcome> outcomes = transactions.write("record results", c -> {
            TrustBook book = standings.book(c);
            List<ResultOutcome> out = KeyStandings.unwrapped(tx -> jobTable.change(tx, ids, (jobs, changes) -> {
                List<ResultOutcome> recorded = new ArrayList<>(records.size());
                for (ResultRecord record : records) {
                    recorded.add(lifecycle.recordResult(jobs.get(record.report().jobId().value()), worker.id(),
                            worker.owner(), record, now, policy, changes, book));
                }
                return recorded;
            }), c);
            // The report's rejection rows commit with its results, or neither does.
            RejectionTable.insert(c, rejections);
            return out;
        });
        rejectionTable.counted(rejections.size());
        return outcomes;
    }

    /** @return every answer of a job, oldest first */
    List<StoredResult> results(JobId id) {
        return transactions.read("read results", c -> Sql.query(c, "select " + JobRow.REPLICA_COLUMNS
                + " from muster_replica where job_id = ? and answered_ns is not null order by answered_ns, replica",
                ps -> ps.setLong(1, id.value()), JobRow::result));
    }
}
