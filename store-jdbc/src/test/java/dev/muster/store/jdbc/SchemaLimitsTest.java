package dev.muster.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.spi.Limits;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The schema agrees with the table of limits: every column that holds a limited value is at least
 * as wide as its limit allows, as the database itself reports it (JDBC metadata, after all
 * migrations), on SQLite, H2 and PostgreSQL. A mismatch is fixed by a new migration. (SQLite keeps
 * the declared width without enforcing it; the declaration still documents what the API allows.)
 */
class SchemaLimitsTest {
    /** Limits whose values are never stored, so no column needs to hold them. */
    private static final Set<Limits> NOT_STORED = EnumSet.of(Limits.BAN_REASON);

    /** One column's requirement: its width must be at least {@code size}. */
    private record Need(String table, String column, long size, String why) {}

    private static List<Need> needs(Limits limit) {
        int max = limit.max();
        List<Need> out = new ArrayList<>();
        switch (limit) {
            case JOB_TYPE -> out.add(new Need("muster_job", "type", max, "job type"));
            case MEDIA_TYPE -> out.add(new Need("muster_job", "media_type", max, "media type"));
            case SUBMITTER -> {
                out.add(new Need("muster_job", "submitter", max, "submitter"));
                out.add(new Need("muster_submitter", "name", max, "submitter"));
            }
            case IDEMPOTENCY_KEY -> {
                out.add(new Need("muster_job", "idempotency_key", max, "idempotency key"));
                // NewJob.dedupKey: "k:" + idempotency key, or "d:" + a 64-character digest.
                out.add(new Need("muster_job", "dedup_key", Math.max(max, 64) + 2, "dedup key"));
            }
            case OWNER -> {
                for (String[] c : new String[][] {{"muster_worker", "owner"}, {"muster_owner", "name"},
                        {"muster_replica", "owner"}, {"muster_replica", "owner_key"}, {"muster_credit", "owner"},
                        {"muster_tally", "name"}}) {
                    out.add(new Need(c[0], c[1], max, "owner"));
                }
            }
            case CLIENT_BUILD -> out.add(new Need("muster_worker", "client_build", max, "client build"));
            case LABEL -> out.add(new Need("muster_class_label", "label", max, "one label"));
            case LABELS -> {
                // Labels are stored sorted and joined with a newline.
                long joined = (long) max * Limits.LABEL.max() + max - 1;
                out.add(new Need("muster_worker", "labels", joined, "a full label set"));
                out.add(new Need("muster_class", "labels", joined, "a full label set"));
            }
            case METADATA_ENTRIES, METADATA_KEY, METADATA_VALUE -> {
                // Metadata.encode: key=value pairs joined by '&', percent-encoded; one UTF-16 code
                // unit takes at most 9 characters (three UTF-8 bytes as %XX each).
                long encoded = (long) Limits.METADATA_ENTRIES.max()
                        * (9L * (Limits.METADATA_KEY.max() + Limits.METADATA_VALUE.max()) + 2);
                out.add(new Need("muster_replica", "metadata", encoded, "full metadata, percent-encoded"));
            }
            case VERDICT_REASON -> out.add(new Need("muster_replica", "invalid_reason", max, "validator reason"));
            case FAILURE_REASON -> out.add(new Need("muster_job", "failure_reason", max, "failure reason"));
            case REJECTION_DETAIL -> out.add(new Need("muster_rejection", "detail", max, "rejection detail"));
            case PAYLOAD_BYTES -> out.add(new Need("muster_job", "payload", max, "largest payload setting"));
            case RESULT_BYTES -> out.add(new Need("muster_replica", "result", max, "largest result setting"));
            default -> {
                // NOT_STORED
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "h2", "postgresql"})
    void everyLimitedColumn_holdsAtLeastItsLimit(String database) throws Exception {
        String url = switch (database) {
            case "sqlite" -> TestDatabases.newSqlite();
            case "h2" -> TestDatabases.newH2();
            default -> TestDatabases.newPostgres();
        };
        JdbcStore.open(Map.of("url", url, "poolSize", "2")).close();
        Map<String, Long> widths = new HashMap<>();
        Map<String, String> nullable = new HashMap<>();
        try (Connection c = DriverManager.getConnection(url)) {
            DatabaseMetaData meta = c.getMetaData();
            try (ResultSet rs = meta.getColumns(null, null, "%", "%")) {
                while (rs.next()) {
                    String table = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                    if (table.startsWith("muster_")) {
                        String column = table + "." + rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT);
                        widths.put(column, rs.getLong("COLUMN_SIZE"));
                        nullable.put(column, rs.getString("IS_NULLABLE"));
                    }
                }
            }
        }
        Map<Limits, Integer> checked = new EnumMap<>(Limits.class);
        List<String> tooNarrow = new ArrayList<>();
        for (Limits limit : Limits.values()) {
            List<Need> needs = needs(limit);
            assertTrue(!needs.isEmpty() || NOT_STORED.contains(limit),
                    limit + " is neither mapped to columns nor declared as not stored; add it to this test");
            for (Need n : needs) {
                Long width = widths.get(n.table() + "." + n.column());
                assertTrue(width != null, database + " has no column " + n.table() + "." + n.column());
                System.out.printf("%s %-38s holds %,13d, needs %,11d for %s (%s)%n", database,
                        n.table() + "." + n.column(), width, n.size(), n.why(), limit);
                if (width < n.size()) {
                    tooNarrow.add(n.table() + "." + n.column() + " holds " + width + " but " + limit + " needs "
                            + n.size());
                }
                checked.merge(limit, 1, Integer::sum);
            }
        }
        assertEquals(List.of(), tooNarrow, database + ": columns narrower than the table of limits");
        // Version 2 widened these; they must still refuse nulls.
        assertEquals("NO", nullable.get("muster_job.media_type"));
        assertEquals("NO", nullable.get("muster_worker.client_build"));
        assertEquals(Limits.values().length - NOT_STORED.size(), checked.size());
    }
}
