package dev.muster.store.jdbc;

import dev.muster.spi.JobId;
import dev.muster.spi.Rejection;
import dev.muster.spi.RejectionReason;
import dev.muster.spi.WorkerId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** The rejection log in {@code muster_rejection}: appended to, read newest first, trimmed to its size. */
final class RejectionTable {
    /** Appends one entry; its parameters are bound by {@link #bind}. */
    static final String INSERT = "insert into muster_rejection (at_ns, worker_id, job_id, replica, reason, detail)"
            + " values (?, ?, ?, ?, ?, ?)";

    private final Transactions transactions;
    private final int size;
    private final AtomicLong logged = new AtomicLong();

    /** @param size entries kept; older ones are deleted, every thousand appends */
    RejectionTable(Transactions transactions, int size) {
        this.transactions = transactions;
        this.size = size;
    }

    void log(Rejection r) {
        transactions.write("log a rejection", c -> {
            Sql.update(c, INSERT, ps -> bind(ps, r));
            return null;
        });
        counted(1);
    }

    /** Appends entries inside the caller's transaction; call {@link #counted} once it committed. */
    static void insert(Connection c, List<Rejection> rejections) throws SQLException {
        Sql.batch(c, INSERT, rejections, RejectionTable::bind);
    }

    /** Counts committed appends, trimming the table every thousand. */
    void counted(int appended) {
        long before = logged.getAndAdd(appended);
        if (before / 1000 != (before + appended) / 1000) {
            trim();
        }
    }

    /** Binds a rejection to the six parameters of an insert into the log. */
    static void bind(PreparedStatement ps, Rejection r) throws SQLException {
        ps.setLong(1, Nanos.of(r.at()));
        ps.setString(2, r.worker() == null ? null : r.worker().value());
        if (r.jobId() == null) {
            ps.setNull(3, Types.BIGINT);
        } else {
            ps.setLong(3, r.jobId().value());
        }
        ps.setInt(4, r.replica());
        ps.setString(5, r.reason().name());
        ps.setString(6, r.detail());
    }

    private void trim() {
        transactions.write("trim the rejection log", c -> Sql.update(c, "delete from muster_rejection where id <="
                + " (select max(id) from muster_rejection) - ?", ps -> ps.setLong(1, size)));
    }

    /** @return up to {@code limit} entries, newest first */
    List<Rejection> newest(int limit) {
        return transactions.read("read the rejection log", c -> Sql.query(c, "select at_ns, worker_id, job_id,"
                + " replica, reason, detail from muster_rejection order by id desc limit ?",
                ps -> ps.setInt(1, Math.max(0, Math.min(limit, size))), rs -> {
                    String worker = rs.getString(2);
                    long job = rs.getLong(3);
                    JobId jobId = rs.wasNull() ? null : new JobId(job);
                    return new Rejection(Nanos.instant(rs.getLong(1)), worker == null ? null : new WorkerId(worker),
                            jobId, rs.getInt(4), RejectionReason.valueOf(rs.getString(5)), rs.getString(6));
                }));
    }
}
