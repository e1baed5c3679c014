package dev.muster.store.jdbc;

import dev.muster.spi.ConfigurationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What differs between the databases the store supports, one constant per database: the few
 * statements they spell differently, and the strategies that differ (how leasing finds and locks
 * jobs, how many rows are written back, whether contending transactions take turns, planner
 * statistics, the housekeeping lock, forcing commits). Callers ask the dialect for its statement or
 * strategy, never which database it is. Everything else is SQL all three accept.
 */
enum Dialect {
    POSTGRESQL(Map.of("binary", "bytea", "text", "text",
            "readyIndex", "(priority desc, tag, id) where queued",
            "spotReadyIndex", "(priority desc, tag, id) where queued and spot_source is not null",
            "spotSourceIndex", "(spot_source) where spot_source is not null",
            "finishedIndex", "(finished_ns) where finished_ns is not null",
            "openIndex", "(state, type, class_id, submitted_ns) where state in ('QUEUED', 'RUNNING')",
            "unfoldedIndex", "(job_id) where not folded",
            "shards", "generate_series(0, 15) as s(shard)",
            "tuning", "alter table muster_job set (autovacuum_vacuum_scale_factor = 0.01,"
                    + " autovacuum_analyze_scale_factor = 0.01);\n"
                    + "alter table muster_replica set (autovacuum_vacuum_scale_factor = 0.01,"
                    + " autovacuum_analyze_scale_factor = 0.01);\n"
                    + "alter table muster_credit set (autovacuum_vacuum_scale_factor = 0.01,"
                    + " autovacuum_analyze_scale_factor = 0.01);"),
            "priority desc, tag, id", " for update", "classpath:dev/muster/store/jdbc/migration",
            "unnest(cast(? as varchar array)) as u(k) join",
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
            "insert into muster_class_label (class_id, label) values (?, ?) on conflict do nothing") {
        /** Leases and credit folds skip rows others hold, so they need not take turns. */
        @Override
        Turns turns() {
            return new Turns.SideBySide();
        }

        @Override
        LeasableJobs leasableJobs() {
            return new LeasableJobs.SkipLocked(this);
        }

        @Override
        RowWrites rowWrites() {
            return RowWrites.SET_BASED;
        }

        @Override
        String lockSkippingLocked() {
            return forUpdate + " skip locked";
        }

        @Override
        PlannerStatistics plannerStatistics(StoreTransactions transactions) {
            return new AnalyzedStatistics(transactions);
        }

        /** Several coordinators may share the database; the holder of an advisory lock leads. */
        @Override
        HousekeepingLock housekeepingLock(DataSource dataSource) {
            return new AdvisoryLock(dataSource);
        }
    },
    H2(Map.of("binary", "varbinary", "text", "varchar",
            "readyIndex", "(queued, priority desc, tag, id)",
            "spotReadyIndex", "(spot_source, queued, priority desc, tag, id)",
            "spotSourceIndex", "(spot_source, id)",
            "finishedIndex", "(finished_ns)",
            "openIndex", "(state, type, class_id, submitted_ns)",
            "unfoldedIndex", "(folded)",
            "shards", "(select x as shard from system_range(0, 15)) as s",
            "tuning", ""),
            "queued, priority desc, tag, id", " for update", "classpath:dev/muster/store/jdbc/migration",
            "unnest(cast(? as varchar array)) as u(k) join",
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
            "merge into muster_class_label key (class_id, label) values (?, ?)") {
        @Override
        boolean forcesEachCommit(boolean requested) {
            return requested;
        }

        /**
         * H2 writes a commit to its file before the commit returns (with {@code WRITE_DELAY=0})
         * but never forces it: that survives a killed process, not a crashed machine.
         * {@code CHECKPOINT SYNC} stores what is unsaved and forces the file.
         */
        @Override
        void forceToDisk(Connection c) throws SQLException {
            try (java.sql.Statement s = c.createStatement()) {
                s.execute("checkpoint sync");
            }
        }

        @Override
        String ensureStanding() {
            return "merge into muster_standing s using (values (cast(? as varchar(32)))) as v(worker_id)"
                    + " on s.worker_id = v.worker_id when not matched then insert (worker_id, passed, strikes,"
                    + " ban_reason, backtracked) values (v.worker_id, 0, 0, '', false)";
        }

        @Override
        String createOwnerAccount() {
            return "merge into muster_owner_account a using (values (cast(? as varchar(128)), cast(? as varchar(64)),"
                    + " cast(? as varchar(16)), cast(? as varchar(1000)), cast(? as bigint)))"
                    + " as v(name, secret_hash, state, reason, created_ns) on a.name = v.name"
                    + " when not matched then insert (name, secret_hash, state, reason, created_ns)"
                    + " values (v.name, v.secret_hash, v.state, v.reason, v.created_ns)";
        }

        @Override
        String keepSecret() {
            return "merge into muster_secret s using (values (cast(? as varchar(64)), cast(? as varbinary)))"
                    + " as v(name, secret) on s.name = v.name when not matched then insert (name, secret)"
                    + " values (v.name, v.secret)";
        }
    },
    /**
     * SQLite in WAL mode, the embedded default. It has no row locks, arrays or sequences: a write
     * transaction holds the whole database (the store runs one at a time, see {@link JdbcStore}),
     * so {@code FOR UPDATE} is left out; lists travel as JSON arrays read with {@code json_each};
     * job ids come from a counter row. Its upserts are PostgreSQL's.
     */
    SQLITE(Map.of(), "queued, priority desc, tag, id", "", "classpath:dev/muster/store/jdbc/sqlite-migration",
            "(select value as k from json_each(?)) as u cross join",
            "update muster_job_counter set last_id = last_id + ? returning last_id",
            POSTGRESQL.upsertWorker, POSTGRESQL.addToTally, POSTGRESQL.ensureOwner, POSTGRESQL.ensureSubmitter,
            POSTGRESQL.ensureClass, POSTGRESQL.ensureClassLabel) {
        @Override
        boolean oneWriter() {
            return true;
        }

        /**
         * The write-ahead log, kept in the file once set: a data source of the caller's, which
         * the provider's settings do not reach, runs in it too.
         */
        @Override
        void prepare(Connection c) throws SQLException {
            // SQLite changes the journal only outside a transaction.
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(true);
            try (java.sql.Statement s = c.createStatement()) {
                s.execute("pragma journal_mode=wal");
            }
            c.setAutoCommit(autoCommit);
        }

        @Override
        String any(String column) {
            return column + " in (select value from json_each(?))";
        }

        @Override
        void bindLongs(PreparedStatement ps, int index, long[] values) throws SQLException {
            StringBuilder json = new StringBuilder(values.length * 8 + 2).append('[');
            for (int i = 0; i < values.length; i++) {
                json.append(i == 0 ? "" : ",").append(values[i]);
            }
            ps.setString(index, json.append(']').toString());
        }

        @Override
        void bindInts(PreparedStatement ps, int index, List<Integer> values) throws SQLException {
            bindLongs(ps, index, values.stream().mapToLong(Integer::longValue).toArray());
        }

        @Override
        void bindStrings(PreparedStatement ps, int index, List<String> values) throws SQLException {
            StringBuilder json = new StringBuilder().append('[');
            for (String v : values) {
                if (json.length() > 1) {
                    json.append(',');
                }
                jsonString(json, v);
            }
            ps.setString(index, json.append(']').toString());
        }

        /** The counter's new value is the last id of the batch; the ids before it are the batch's. */
        @Override
        long[] nextJobIds(Connection c, int count) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(nextJobIds)) {
                ps.setInt(1, count);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("the job id counter row is missing");
                    }
                    long last = rs.getLong(1);
                    long[] ids = new long[count];
                    for (int i = 0; i < count; i++) {
                        ids[i] = last - count + 1 + i;
                    }
                    return ids;
                }
            }
        }
    };

    /** @return an insert of a newcomer's standing row for one worker id, doing nothing if there is one */
    String ensureStanding() {
        return "insert into muster_standing (worker_id, passed, strikes, ban_reason, backtracked)"
                + " values (?, 0, 0, '', false) on conflict do nothing";
    }

    /** @return an insert of an owner account (all its columns), doing nothing if the name has one */
    String createOwnerAccount() {
        return "insert into muster_owner_account (name, secret_hash, state, reason, created_ns)"
                + " values (?, ?, ?, ?, ?) on conflict do nothing";
    }

    /** @return an insert of a shared secret (name, value), doing nothing if the name has one */
    String keepSecret() {
        return "insert into muster_secret (name, secret) values (?, ?) on conflict do nothing";
    }

    /** What the schema migrations' placeholders stand for on this database. */
    final Map<String, String> placeholders;
    /**
     * The queue's order, spelled so that the planner walks the leasing index instead of sorting:
     * PostgreSQL's index is partial (waiting jobs only), H2's leads with the {@code queued} flag.
     */
    final String readyOrder;
    /** Locks the rows a select reads until the transaction ends, where the database has row locks. */
    final String forUpdate;
    /** Where the schema migrations for this database are. */
    final String migrations;
    /**
     * A table {@code u} of one string column {@code k} from one list parameter, and the join to
     * the table named after it. On SQLite a {@code CROSS JOIN}, which keeps the list the outer
     * loop: its planner cannot tell that the list is short, and otherwise scans the indexed table
     * once per element.
     */
    final String stringsJoin;
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

    Dialect(Map<String, String> placeholders, String readyOrder, String forUpdate,
            String migrations, String stringsJoin, String nextJobIds, String upsertWorker, String addToTally,
            String ensureOwner, String ensureSubmitter, String ensureClass, String ensureClassLabel) {
        this.placeholders = placeholders;
        this.readyOrder = readyOrder;
        this.forUpdate = forUpdate;
        this.migrations = migrations;
        this.stringsJoin = stringsJoin;
        this.nextJobIds = nextJobIds;
        this.upsertWorker = upsertWorker;
        this.addToTally = addToTally;
        this.ensureOwner = ensureOwner;
        this.ensureSubmitter = ensureSubmitter;
        this.ensureClass = ensureClass;
        this.ensureClassLabel = ensureClassLabel;
    }

    /** Sets what the database keeps in its files before the store first uses it. */
    void prepare(Connection c) throws SQLException {
        // nothing on servers
    }

    /**
     * @return how transactions of this process that would fight over rows run: one at a time
     *         unless the database skips rows others hold ({@code FOR UPDATE SKIP LOCKED} locks
     *         every row it scans on H2, and SQLite has no row locks)
     */
    Turns turns() {
        return new Turns.OneAtATime();
    }

    /** @return how leasing finds and locks waiting jobs: found first, then locked by id, in turns */
    LeasableJobs leasableJobs() {
        return new LeasableJobs.FindThenLock(this);
    }

    /** @return how changes to many rows are written: a JDBC batch, which embedded databases run without round trips */
    RowWrites rowWrites() {
        return RowWrites.ROW_BY_ROW;
    }

    /** @return the end of a select that locks the rows it reads, passing over rows others hold where it can */
    String lockSkippingLocked() {
        return forUpdate;
    }

    /** @return whether the store forces the database file to the disk after every write transaction */
    boolean forcesEachCommit(boolean requested) {
        return false;
    }

    /** Forces what the database wrote to the disk, where {@link #forcesEachCommit} holds. */
    void forceToDisk(Connection c) throws SQLException {
        // the other databases force their own commits
    }

    /** @return what keeps the planner's statistics fresh: nothing, unless the database needs it */
    PlannerStatistics plannerStatistics(StoreTransactions transactions) {
        return PlannerStatistics.NONE;
    }

    /** @return who runs housekeeping: an embedded database belongs to one process, which always leads */
    HousekeepingLock housekeepingLock(DataSource dataSource) {
        return HousekeepingLock.ALONE;
    }

    /** @return whether the database takes one write transaction at a time, so the store queues them itself */
    boolean oneWriter() {
        return false;
    }

    /** @return a condition that {@code column} is one of the list bound to its one parameter */
    String any(String column) {
        return column + " = any(?)";
    }

    /** Binds a list of numbers to a parameter of {@link #any}. */
    void bindLongs(PreparedStatement ps, int index, long[] values) throws SQLException {
        Long[] boxed = new Long[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        ps.setArray(index, ps.getConnection().createArrayOf("BIGINT", boxed));
    }

    /** Binds a list of numbers to a parameter of {@link #any}. */
    void bindInts(PreparedStatement ps, int index, List<Integer> values) throws SQLException {
        ps.setArray(index, ps.getConnection().createArrayOf("INTEGER", values.toArray(new Integer[0])));
    }

    /** Binds a list of strings to a parameter of {@link #any} or {@link #stringsJoin}. */
    void bindStrings(PreparedStatement ps, int index, List<String> values) throws SQLException {
        ps.setArray(index, ps.getConnection().createArrayOf("VARCHAR", values.toArray(new String[0])));
    }

    /** @return {@code count} new job ids, ascending */
    long[] nextJobIds(Connection c, int count) throws SQLException {
        long[] ids = new long[count];
        try (PreparedStatement ps = c.prepareStatement(nextJobIds)) {
            ps.setInt(1, count);
            try (ResultSet rs = ps.executeQuery()) {
                for (int i = 0; i < count; i++) {
                    if (!rs.next()) {
                        throw new SQLException("job id sequence returned " + i + " of " + count + " ids");
                    }
                    ids[i] = rs.getLong(1);
                }
            }
        }
        Arrays.sort(ids);
        return ids;
    }

    private static void jsonString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '"' || ch == '\\') {
                out.append('\\').append(ch);
            } else if (ch < 0x20) {
                out.append(String.format("\\u%04x", (int) ch));
            } else {
                out.append(ch);
            }
        }
        out.append('"');
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
        if (product.contains("sqlite")) {
            return SQLITE;
        }
        throw new ConfigurationException("the jdbc store supports PostgreSQL, SQLite and H2, not "
                + connection.getMetaData().getDatabaseProductName());
    }
}
