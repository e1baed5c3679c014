package dev.muster.store.jdbc;

import dev.muster.spi.Capabilities;
import dev.muster.spi.Worker;
import dev.muster.spi.WorkerId;
import dev.muster.spi.WorkerState;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The registered workers in {@code muster_worker}. */
final class WorkerTable {
    private final Transactions transactions;
    private final String upsert;

    WorkerTable(Transactions transactions, Dialect dialect) {
        this.transactions = transactions;
        this.upsert = dialect.upsertWorker;
    }

    /** @return labels as their column holds them: sorted, one a line */
    static String labels(Set<String> labels) {
        return String.join("\n", new TreeSet<>(labels));
    }

    /** @return labels read back from their column */
    static Set<String> labels(String text) {
        return text.isEmpty() ? Set.of() : Set.of(text.split("\n"));
    }

    private static PublicKey publicKey(byte[] encoded) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("stored worker key is not an Ed25519 key", e);
        }
    }

    /** Inserts or replaces a worker. @return the stored worker */
    Worker save(Worker w) {
        return transactions.write("save a worker", c -> {
            Sql.update(c, upsert, ps -> {
                ps.setString(1, w.id().value());
                ps.setBytes(2, w.publicKey().getEncoded());
                ps.setString(3, w.owner());
                ps.setInt(4, w.capabilities().cores());
                ps.setLong(5, w.capabilities().memoryMb());
                ps.setBoolean(6, w.capabilities().gpu());
                ps.setString(7, labels(w.capabilities().labels()));
                ps.setString(8, w.clientBuild());
                ps.setInt(9, w.maxConcurrentLeases());
                ps.setString(10, w.state().name());
                ps.setLong(11, Nanos.of(w.registeredAt()));
                ps.setLong(12, Nanos.of(w.lastSeen()));
            });
            return w;
        });
    }

    private static final String WORKER_COLUMNS = "id, public_key, owner, cores, memory_mb, gpu, labels, client_build,"
            + " max_leases, state, registered_ns, last_seen_ns";

    private static Worker worker(ResultSet rs) throws SQLException {
        return new Worker(new WorkerId(rs.getString("id")), publicKey(rs.getBytes("public_key")), rs.getString("owner"),
                new Capabilities(rs.getInt("cores"), rs.getLong("memory_mb"), rs.getBoolean("gpu"),
                        labels(rs.getString("labels"))),
                rs.getString("client_build"), rs.getInt("max_leases"), WorkerState.valueOf(rs.getString("state")),
                Nanos.instant(rs.getLong("registered_ns")), Nanos.instant(rs.getLong("last_seen_ns")));
    }

    private static Optional<Worker> worker(Connection c, WorkerId id) throws SQLException {
        return Sql.queryOne(c, "select " + WORKER_COLUMNS + " from muster_worker where id = ?",
                ps -> ps.setString(1, id.value()), WorkerTable::worker);
    }

    /** @return the worker, if registered */
    Optional<Worker> find(WorkerId id) {
        return transactions.read("read a worker", c -> worker(c, id));
    }

    /** Records a sign of life; a later one already recorded stands. @return false if there is no such worker */
    boolean touch(WorkerId id, Instant at) {
        return transactions.write("record a heartbeat", c -> {
            long nanos = Nanos.of(at);
            if (Sql.update(c, "update muster_worker set last_seen_ns = ? where id = ? and last_seen_ns < ?", ps -> {
                ps.setLong(1, nanos);
                ps.setString(2, id.value());
                ps.setLong(3, nanos);
            }) == 1) {
                return true;
            }
            return Sql.queryOne(c, "select 1 from muster_worker where id = ?", ps -> ps.setString(1, id.value()),
                    rs -> true).isPresent();
        });
    }

    /** @return the worker after the change, if it exists */
    Optional<Worker> setState(WorkerId id, WorkerState state) {
        return transactions.write("change a worker's state", c -> {
            Sql.update(c, "update muster_worker set state = ? where id = ?", ps -> {
                ps.setString(1, state.name());
                ps.setString(2, id.value());
            });
            return worker(c, id);
        });
    }

    /** @return workers in id order, a page at a time */
    List<Worker> list(WorkerId after, int limit) {
        return transactions.read("list workers", c -> Sql.query(c,
                "select " + WORKER_COLUMNS + " from muster_worker where id > ? order by id limit ?", ps -> {
                    ps.setString(1, after == null ? "" : after.value());
                    ps.setLong(2, Math.max(0, limit));
                }, WorkerTable::worker));
    }

    /** @return up to {@code limit} workers in {@code state} last seen before {@code cutoff} */
    List<Worker> silent(WorkerState state, Instant cutoff, int limit) {
        return transactions.read("find silent workers", c -> Sql.query(c, "select " + WORKER_COLUMNS
                + " from muster_worker where state = ? and last_seen_ns < ? limit ?", ps -> {
                    ps.setString(1, state.name());
                    ps.setLong(2, Nanos.of(cutoff));
                    ps.setInt(3, Math.max(0, limit));
                }, WorkerTable::worker));
    }

    /** @return up to {@code limit} workers of {@code owner}, in id order */
    List<Worker> ofOwner(String owner, int limit) {
        return transactions.read("list an owner's workers", c -> Sql.query(c, "select " + WORKER_COLUMNS
                + " from muster_worker where owner = ? order by owner, id limit ?", ps -> {
                    ps.setString(1, owner);
                    ps.setInt(2, Math.max(0, limit));
                }, WorkerTable::worker));
    }
}
