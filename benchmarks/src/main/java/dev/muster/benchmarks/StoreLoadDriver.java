package dev.muster.benchmarks;

import dev.muster.core.Coordinator;
import dev.muster.spi.Capabilities;
import dev.muster.spi.Challenge;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.Keys;
import dev.muster.spi.Registration;
import dev.muster.spi.ReportOutcome;
import dev.muster.spi.ReportStatus;
import dev.muster.spi.ResultBatch;
import dev.muster.spi.ResultReport;
import dev.muster.spi.SignedBytes;
import dev.muster.spi.Ticket;
import dev.muster.spi.WorkerId;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import one.profiler.AsyncProfiler;

/**
 * Load driver for the JDBC store: one or two coordinators in this JVM on one database, worker
 * threads looping lease, report over the coordinator API (signed ticket and result batches,
 * trusted pool, one replica per job), and a feeder keeping the queue at a set depth. Prints
 * accepted jobs per second, per coordinator and in all.
 *
 * <pre>
 * mvn -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.muster.benchmarks.StoreLoadDriver --db postgresql --coordinators 2
 * </pre>
 *
 * Options: {@code --db postgresql|sqlite|h2} (default postgresql: an embedded server started from the
 * binaries on Maven Central with its default, durable settings; {@code --url} names another
 * database instead), {@code --coordinators 1|2}, {@code --threads N} worker threads per
 * coordinator (default 4), {@code --batch B} (default 64), {@code --seconds S} measured after
 * {@code --warmup W}, {@code --depth N} jobs kept queued (default 50,000), {@code --pool N}
 * connections per coordinator (default 8), {@code --profile FILE} (async-profiler CPU samples of
 * the measured interval), {@code --fsync true|false} (SQLite and H2: the store's {@code fsync} setting; to
 * measure H2 as it was before commits were written at once, pass
 * {@code --url jdbc:h2:file:/fresh/dir/muster;WRITE_DELAY=500 --fsync false}). With {@code -Dstatements=true} the embedded server loads
 * pg_stat_statements and the driver prints the statements that took its time; with
 * {@code -Dexplain=SQL} as well, the plan of one statement and the tables' dead rows.
 */
public final class StoreLoadDriver {
    private static final byte[] RESULT = "winner=A turns=37".getBytes(StandardCharsets.UTF_8);

    private volatile boolean running = true;
    private volatile boolean measuring;
    private final AtomicLong acceptedAll = new AtomicLong();

    /** @param args see the class documentation */
    public static void main(String[] args) throws Exception {
        Map<String, String> o = new java.util.HashMap<>(Map.of("--db", "postgresql", "--coordinators", "1",
                "--threads", "4", "--batch", "64", "--seconds", "20", "--warmup", "10", "--depth", "50000",
                "--pool", "8"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!o.containsKey(args[i]) && !args[i].equals("--url") && !args[i].equals("--profile")
                    && !args[i].equals("--fsync")) {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
            o.put(args[i], args[i + 1]);
        }
        new StoreLoadDriver().run(o);
        System.exit(0);
    }

    private void run(Map<String, String> o) throws Exception {
        int coordinators = Integer.parseInt(o.get("--coordinators"));
        int threads = Integer.parseInt(o.get("--threads"));
        int batch = Integer.parseInt(o.get("--batch"));
        int depth = Integer.parseInt(o.get("--depth"));
        EmbeddedPostgres embedded = null;
        String url = o.get("--url");
        if (url == null) {
            String db = o.get("--db");
            if (db.equals("h2") || db.equals("sqlite")) {
                Path dir = Files.createTempDirectory("muster-" + db);
                url = db.equals("h2") ? "jdbc:h2:file:" + dir.resolve("muster") : "jdbc:sqlite:" + dir.resolve("muster.db");
                if (coordinators > 1) {
                    throw new IllegalArgumentException("an embedded database serves one coordinator");
                }
            } else {
                EmbeddedPostgres.Builder b = EmbeddedPostgres.builder().setServerConfig("max_connections", "200");
                if (Boolean.getBoolean("statements")) {
                    b.setServerConfig("shared_preload_libraries", "pg_stat_statements");
                }
                embedded = b.start();
                url = embedded.getJdbcUrl("postgres", "postgres");
            }
        }
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) 7);
        List<Coordinator> cs = new ArrayList<>();
        Map<String, String> config = new java.util.HashMap<>(Map.of("store", "jdbc", "store.url", url,
                "store.poolSize", o.get("--pool"), "trust", "quorum", "trust.replicas", "1", "trust.agree", "1"));
        if (o.containsKey("--fsync")) {
            config.put("store.fsync", o.get("--fsync"));
        }
        for (int i = 0; i < coordinators; i++) {
            Coordinator c = Coordinator.builder()
                    .configure(config)
                    .validator(new AcceptAll()).challengeSecret(secret).maxSubmitBatch(10_000).build();
            c.start();
            cs.add(c);
        }
        System.out.printf("%d coordinator(s) on %s%n", coordinators, url.replaceAll("password=[^&;]*", "password=***"));

        Thread feeder = new Thread(() -> feed(cs.get(0), depth), "feeder");
        feeder.setDaemon(true);
        feeder.start();
        while (cs.get(0).summary().jobs().getOrDefault(JobState.QUEUED, 0L) < depth) {
            Thread.sleep(50); // waiting for the feeder's first batches
        }

        AtomicLongArray perCoordinator = new AtomicLongArray(coordinators);
        List<Thread> workers = new ArrayList<>();
        for (int ci = 0; ci < coordinators; ci++) {
            for (int t = 0; t < threads; t++) {
                Coordinator c = cs.get(ci);
                int index = ci;
                KeyPair keys = Keys.generate();
                WorkerId id = WorkerId.of(keys.getPublic());
                Challenge ch = c.challenge();
                Capabilities caps = Capabilities.of(4, 4096);
                String owner = "owner-" + (t % 8);
                c.register(new Registration(keys.getPublic(), owner, caps, "driver", batch * 2, ch.value(),
                        Keys.sign(keys.getPrivate(), SignedBytes.registration(ch.value(), keys.getPublic(), owner, caps,
                                "driver", batch * 2))));
                Thread w = new Thread(() -> {
                    while (running) {
                        List<Ticket> got = c.lease(id, batch).tickets();
                        if (got.isEmpty()) {
                            Thread.onSpinWait();
                            continue;
                        }
                        List<ResultReport> results = new ArrayList<>(got.size());
                        for (Ticket tk : got) {
                            results.add(ResultReport.of(tk.jobId(), tk.replica(), tk.spec().seed(), RESULT, Map.of()));
                        }
                        byte[] sig = Keys.sign(keys.getPrivate(), SignedBytes.results(id, results));
                        int ok = 0;
                        for (ReportOutcome r : c.report(new ResultBatch(id, results, sig))) {
                            if (r.status() == ReportStatus.ACCEPTED) {
                                ok++;
                            }
                        }
                        acceptedAll.addAndGet(ok);
                        if (measuring) {
                            perCoordinator.addAndGet(index, ok);
                        }
                    }
                }, "worker-" + ci + "-" + t);
                w.setDaemon(true);
                workers.add(w);
            }
        }
        workers.forEach(Thread::start);
        Thread.sleep(Long.parseLong(o.get("--warmup")) * 1000); // warm-up, not measured
        if (o.get("--profile") != null) {
            AsyncProfiler.getInstance().execute("start,event=itimer,interval=1ms");
        }
        measuring = true;
        long start = System.nanoTime();
        Thread.sleep(Long.parseLong(o.get("--seconds")) * 1000); // the measured interval
        measuring = false;
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (o.get("--profile") != null) {
            AsyncProfiler.getInstance().execute("stop,file=" + o.get("--profile")
                    + (o.get("--profile").endsWith(".html") ? "" : ",collapsed"));
        }
        running = false;
        long total = 0;
        StringBuilder each = new StringBuilder();
        for (int i = 0; i < coordinators; i++) {
            total += perCoordinator.get(i);
            each.append(i == 0 ? "" : " ").append(String.format("%.0f", perCoordinator.get(i) / elapsed));
        }
        System.out.printf("db=%s coordinators=%d threads=%d batch=%d seconds=%.1f accepted=%d jobs/s=%.0f"
                        + " per-coordinator=[%s]%n", o.get("--url") != null ? "url" : o.get("--db"), coordinators,
                threads, batch, elapsed, total, total / elapsed, each);
        for (Thread w : workers) {
            w.join(10_000);
        }
        feeder.join(30_000);
        if (Boolean.getBoolean("statements") && embedded != null) {
            printStatements(url);
        }
        for (Coordinator c : cs) {
            c.stop();
        }
        if (embedded != null) {
            embedded.close();
        }
    }

    /** The statements that took the database's time, from pg_stat_statements ({@code -Dstatements=true}). */
    private static void printStatements(String url) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
             java.sql.Statement s = c.createStatement()) {
            s.execute("create extension if not exists pg_stat_statements");
            if (System.getProperty("explain") != null) {
                try (java.sql.ResultSet rs = s.executeQuery("explain (analyze, buffers) " + System.getProperty("explain"))) {
                    while (rs.next()) {
                        System.out.println(rs.getString(1));
                    }
                }
                try (java.sql.ResultSet rs = s.executeQuery("select relname, n_live_tup, n_dead_tup, last_autovacuum,"
                        + " last_autoanalyze from pg_stat_user_tables order by n_dead_tup desc limit 5")) {
                    while (rs.next()) {
                        System.out.printf("%s live=%d dead=%d vacuum=%s analyze=%s%n", rs.getString(1), rs.getLong(2),
                                rs.getLong(3), rs.getString(4), rs.getString(5));
                    }
                }
            }
            try (java.sql.ResultSet rs = s.executeQuery("select calls, round(total_exec_time::numeric, 1), rows,"
                    + " left(regexp_replace(query, '\\s+', ' ', 'g'), 150) from pg_stat_statements"
                    + " order by total_exec_time desc limit 20")) {
                while (rs.next()) {
                    System.out.printf("%8d calls %10s ms %9d rows  %s%n", rs.getLong(1), rs.getString(2), rs.getLong(3),
                            rs.getString(4));
                }
            }
        }
    }

    /** Keeps about {@code depth} jobs queued, in batches of 5,000. */
    private void feed(Coordinator c, int depth) {
        long seed = 0;
        long submitted = 0;
        List<JobSpec> specs = new ArrayList<>(5_000);
        while (running) {
            if (submitted - acceptedAll.get() >= depth) {
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
                continue;
            }
            for (int i = 0; i < 5_000; i++) {
                specs.add(JobSpec.builder("bench", RESULT).seed(seed++).submitter("driver").build());
            }
            c.submit(specs);
            submitted += specs.size();
            specs.clear();
        }
    }
}
