package dev.muster.store.jdbc;

import dev.muster.spi.ConfigurationException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;

/**
 * The few statements that differ between the databases the store supports. Everything else is
 * SQL both accept.
 */
enum Dialect {
    POSTGRESQL(Map.of("binary", "bytea", "text", "text",
            "readyIndex", "(priority desc, tag, id) where queued",
            "finishedIndex", "(finished_ns) where finished_ns is not null",
            "unfoldedIndex", "(job_id) where not folded",
            "shards", "generate_series(0, 15) as s(shard)",
            "tuning", "alter table muster_job set (autovacuum_vacuum_scale_factor = 0.01,"
                    + " autovacuum_analyze_scale_factor = 0.01);\n"
                    + "alter table muster_replica set (autovacuum_vacuum_scale_factor = 0.01,"
                    + " autovacuum_analyze_scale_factor = 0.01);\n"
                    + "alter table muster_credit set (autovacuum_vacuum_scale_factor = 0.01,"
                    + " autovacuum_analyze_scale_factor = 0.01);"),
            true, "priority desc, tag, id",
            "select nextval('muster_job_id_seq') from generate_series(1, ?)",
            "insert into muster_worker (id, public_key, owner, cores, memory_mb, gpu, labels, client_build, max_leases,"
                    + " state, registered_ns, last_seen_ns) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " on conflict (id) do update set public_key = excluded.public_key, owner = excluded.owner,"
                    + " cores = excluded.cores, memory_mb = excluded.memory_mb, gpu = excluded.gpu,"
                    + " labels = excluded.labels, client_build = excluded.client_build,"
                    + " max_leases = excluded.max_leases, state = excluded.state,"
                    + " registered_ns = excluded.registered_ns, last_seen_ns = excluded.last_seen_ns",
            "insert into muster_tally (scope, day_no, name, credit, results) values (?, ?, ?, ?, ?)"
                    + " on conflict (scope, day_no, name) do update set credit = muster_tally.credit + excluded.credit,"
                    + " results = muster_tally.results + excluded.results",
            "insert into muster_owner (name) values (?) on conflict do nothing",
            "insert into muster_submitter (name, last_tag) values (?, 0) on conflict do nothing",
            "insert into muster_class (cores, memory_mb, gpu, labels) values (?, ?, ?, ?) on conflict do nothing",
            "insert into muster_class_label (class_id, label) values (?, ?) on conflict do nothing"),
    H2(Map.of("binary", "varbinary", "text", "varchar",
            "readyIndex", "(queued, priority desc, tag, id)",
            "finishedIndex", "(finished_ns)",
            "unfoldedIndex", "(folded)",
            "shards", "(select x as shard from system_range(0, 15)) as s",
            "tuning", ""),
            false, "queued, priority desc, tag, id",
            "select next value for muster_job_id_seq from system_range(1, ?)",
            "merge into muster_worker (id, public_key, owner, cores, memory_mb, gpu, labels, client_build, max_leases,"
                    + " state, registered_ns, last_seen_ns) key (id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            "merge into muster_tally t using (values (cast(? as char(1)), cast(? as integer), cast(? as varchar(128)),"
                    + " cast(? as double precision), cast(? as bigint))) as v(scope, day_no, name, credit, results)"
                    + " on t.scope = v.scope and t.day_no = v.day_no and t.name = v.name"
                    + " when matched then update set credit = t.credit + v.credit, results = t.results + v.results"
                    + " when not matched then insert (scope, day_no, name, credit, results)"
                    + " values (v.scope, v.day_no, v.name, v.credit, v.results)",
            "merge into muster_owner key (name) values (?)",
            "merge into muster_submitter s using (values (cast(? as varchar(128)))) as v(name) on s.name = v.name"
                    + " when not matched then insert (name, last_tag) values (v.name, 0)",
            "merge into muster_class c using (values (cast(? as integer), cast(? as bigint), cast(? as boolean),"
                    + " cast(? as varchar(4200)))) as v(cores, memory_mb, gpu, labels)"
                    + " on c.cores = v.cores and c.memory_mb = v.memory_mb and c.gpu = v.gpu and c.labels = v.labels"
                    + " when not matched then insert (cores, memory_mb, gpu, labels)"
                    + " values (v.cores, v.memory_mb, v.gpu, v.labels)",
            "merge into muster_class_label key (class_id, label) values (?, ?)");

    /** What the schema migrations' placeholders stand for on this database. */
    final Map<String, String> placeholders;
    /** Whether {@code FOR UPDATE SKIP LOCKED} locks only the rows returned (it does not on H2). */
    final boolean skipLocked;
    /**
     * The queue's order, spelled so that the planner walks the leasing index instead of sorting:
     * PostgreSQL's index is partial (waiting jobs only), H2's leads with the {@code queued} flag.
     */
    final String readyOrder;
    /** Takes {@code ?} job ids from the sequence. */
    final String nextJobIds;
    /** Inserts or replaces a worker. */
    final String upsertWorker;
    /** Adds credit and results to a leaderboard total, creating it if needed. */
    final String addToTally;
    /** Creates an owner's row if it is missing. */
    final String ensureOwner;
    /** Creates a submitter's row if it is missing. */
    final String ensureSubmitter;
    /** Creates a requirement class if it is missing. */
    final String ensureClass;
    /** Adds a label to a requirement class if it is missing. */
    final String ensureClassLabel;

    Dialect(Map<String, String> placeholders, boolean skipLocked, String readyOrder, String nextJobIds, String upsertWorker, String addToTally, String ensureOwner,
            String ensureSubmitter, String ensureClass, String ensureClassLabel) {
        this.placeholders = placeholders;
        this.skipLocked = skipLocked;
        this.readyOrder = readyOrder;
        this.nextJobIds = nextJobIds;
        this.upsertWorker = upsertWorker;
        this.addToTally = addToTally;
        this.ensureOwner = ensureOwner;
        this.ensureSubmitter = ensureSubmitter;
        this.ensureClass = ensureClass;
        this.ensureClassLabel = ensureClassLabel;
    }

    /** @return the dialect of the database behind {@code connection} */
    static Dialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("postgresql")) {
            return POSTGRESQL;
        }
        if (product.contains("h2")) {
            return H2;
        }
        throw new ConfigurationException("the jdbc store supports PostgreSQL and H2, not "
                + connection.getMetaData().getDatabaseProductName());
    }
}
