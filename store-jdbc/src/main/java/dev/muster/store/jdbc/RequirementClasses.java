package dev.muster.store.jdbc;

import dev.muster.spi.Capabilities;
import dev.muster.spi.Requirements;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
        int cores;
        long memory;
        boolean gpu;
        String labels;
        try (PreparedStatement ps = c.prepareStatement(
                "select cores, memory_mb, gpu, labels from muster_class where id = ?")) {
            ps.setInt(1, classId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("job refers to requirement class " + classId + ", which is missing");
                }
                cores = rs.getInt(1);
                memory = rs.getLong(2);
                gpu = rs.getBoolean(3);
                labels = rs.getString(4);
            }
        }
        Requirements r = new Requirements(cores, memory, gpu, WorkerTable.labels(labels));
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
            try (PreparedStatement ps = c.prepareStatement(dialect.ensureClass)) {
                ps.setInt(1, r.cores());
                ps.setLong(2, r.memoryMb());
                ps.setBoolean(3, r.gpu());
                ps.setString(4, WorkerTable.labels(r.labels()));
                ps.executeUpdate();
            }
            int classId;
            try (PreparedStatement ps = c.prepareStatement(
                    "select id from muster_class where cores = ? and memory_mb = ? and gpu = ? and labels = ?")) {
                ps.setInt(1, r.cores());
                ps.setLong(2, r.memoryMb());
                ps.setBoolean(3, r.gpu());
                ps.setString(4, WorkerTable.labels(r.labels()));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    classId = rs.getInt(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(dialect.ensureClassLabel)) {
                for (String label : r.labels()) {
                    ps.setInt(1, classId);
                    ps.setString(2, label);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return classId;
        });
        classIds.put(r, id);
        classes.put(id, r);
        return id;
    }

    /** Requirement classes the capabilities satisfy: a small table, read once per lease. */
    List<Integer> compatible(Connection c, Capabilities caps) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select k.id from muster_class k where k.cores <= ?"
                + " and k.memory_mb <= ? and (k.gpu = false or ?) and not exists (select 1 from muster_class_label l"
                + " where l.class_id = k.id and not (" + dialect.any("l.label") + "))")) {
            ps.setInt(1, caps.cores());
            ps.setLong(2, caps.memoryMb());
            ps.setBoolean(3, caps.gpu());
            dialect.bindStrings(ps, 4, new ArrayList<>(caps.labels()));
            List<Integer> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getInt(1));
                }
            }
            return out;
        }
    }
}
