package dev.muster.store.jdbc;

import dev.muster.spi.Capabilities;
import dev.muster.spi.Requirements;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exact requirement sets ("classes") in {@code muster_class} and {@code muster_class_label}: a job
 * names its class by id, and leasing matches a worker's capabilities against the few classes a
 * pool has rather than against every job. Classes are never changed or removed, so both
 * directions are cached for the store's life.
 */
final class RequirementClasses {
    private final Transactions transactions;
    private final Dialect dialect;
    private final Map<Requirements, Integer> classIds = new ConcurrentHashMap<>();
    private final Map<Integer, Requirements> classes = new ConcurrentHashMap<>();

    RequirementClasses(Transactions transactions, Dialect dialect) {
        this.transactions = transactions;
        this.dialect = dialect;
    }

    /** Reads the requirements of a class; classes never change, so they are cached forever. */
    Requirements requirements(Connection c, int classId) throws SQLException {
        Requirements known = classes.get(classId);
        if (known != null) {
            return known;
        }
        Requirements r = Sql.queryOne(c, "select cores, memory_mb, gpu, labels from muster_class where id = ?",
                ps -> ps.setInt(1, classId), rs -> new Requirements(rs.getInt(1), rs.getLong(2), rs.getBoolean(3),
                        WorkerTable.labels(rs.getString(4))))
                .orElseThrow(() -> new IllegalStateException("job refers to requirement class " + classId
                        + ", which is missing"));
        classes.put(classId, r);
        classIds.put(r, classId);
        return r;
    }

    /** @return the id of a requirement class, created if needed (in its own transaction: classes are never removed) */
    int id(Requirements r) {
        Integer known = classIds.get(r);
        if (known != null) {
            return known;
        }
        int id = transactions.write("create a requirement class", c -> {
            Sql.Binder requirements = ps -> {
                ps.setInt(1, r.cores());
                ps.setLong(2, r.memoryMb());
                ps.setBoolean(3, r.gpu());
                ps.setString(4, WorkerTable.labels(r.labels()));
            };
            Sql.update(c, dialect.ensureClass, requirements);
            int classId = (int) Sql.queryLong(c,
                    "select id from muster_class where cores = ? and memory_mb = ? and gpu = ? and labels = ?",
                    requirements);
            Sql.batch(c, dialect.ensureClassLabel, r.labels(), (ps, label) -> {
                ps.setInt(1, classId);
                ps.setString(2, label);
            });
            return classId;
        });
        classIds.put(r, id);
        classes.put(id, r);
        return id;
    }

    /** Requirement classes the capabilities satisfy: a small table, read once per lease. */
    List<Integer> compatible(Connection c, Capabilities caps) throws SQLException {
        return Sql.query(c, "select k.id from muster_class k where k.cores <= ? and k.memory_mb <= ?"
                + " and (k.gpu = false or ?) and not exists (select 1 from muster_class_label l"
                + " where l.class_id = k.id and not (" + dialect.any("l.label") + "))", ps -> {
                    ps.setInt(1, caps.cores());
                    ps.setLong(2, caps.memoryMb());
                    ps.setBoolean(3, caps.gpu());
                    dialect.bindStrings(ps, 4, new ArrayList<>(caps.labels()));
                }, rs -> rs.getInt(1));
    }
}
