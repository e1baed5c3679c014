package dev.muster.examples;

import dev.muster.core.Coordinator;
import dev.muster.core.CoordinatorBuilder;
import dev.muster.core.metrics.MusterMetrics;
import dev.muster.spi.Digests;
import dev.muster.spi.MusterException;
import dev.muster.spi.Plugins;
import dev.muster.spi.Validator;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * A coordinator on its own: the job types whose validators are on its class path (the card game
 * comes with it; a job-type jar added with {@code -cp} brings its own, found with
 * {@link java.util.ServiceLoader}), the HTTP transport and a store on disk, configured by a
 * properties file and flags (flags win).
 *
 * <pre>
 * java -jar muster-coordinator.jar [--config muster.properties] [--port 8080] [--host 127.0.0.1]
 *      [--trust quorum|allowlist] [--allowlist workers.pem] [--api-key-file keys.txt]
 *      [--api-key name:scopes:KEY]...
 *      [--data muster-data] [--store-url jdbc:postgresql://host/db] [--log-json]
 * </pre>
 *
 * {@code --api-key-file} names a file of keys, one {@code name:scopes:key} per line, so that no key
 * shows in a process list; {@code --api-key deck-lab:submit+read:s3cret} adds one from the command
 * line. Only their SHA-256 is kept. Without a
 * config file the pool is open ({@code quorum}, two replicas) on 127.0.0.1:8080. The store is
 * SQLite in a file under the data directory ({@code --data}, default {@code muster-data}), so the
 * queue and the ledger survive a restart, and what a call acknowledged survives a killed process
 * (see the embedded store in {@code docs/design.md}). A data directory that an earlier version
 * filled with an H2 database keeps it, with a warning that H2 is not crash-safe.
 * {@code --store-url} names a PostgreSQL database instead (with {@code store.user} and
 * {@code store.password} in the config file), and {@code store=memory} in the config file keeps
 * everything in memory.
 *
 * <p>It logs lines with a timestamp, level, thread and logging context (the worker, job or client
 * address a line is about) to standard output, or JSON lines with {@code --log-json}; each HTTP
 * request goes to {@code access.log} in the data directory (daily files, two weeks kept). Its
 * meters are at {@code /metrics} for Prometheus. Stopping it (SIGTERM, Ctrl-C) turns readiness
 * off, lets requests in flight finish within {@code transport.gracePeriod}, then closes the store.
 */
public final class StandaloneCoordinator {
    /** Prometheus's text exposition format. */
    static final String METRICS_MEDIA_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private StandaloneCoordinator() {}

    /** @param args see the class documentation */
    public static void main(String[] args) throws Exception {
        List<String> flags = new ArrayList<>(List.of(args));
        boolean json = flags.remove("--log-json");
        // Before anything logs: Logback reads its configuration at the first logger.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile",
                    json ? "muster-coordinator-json.xml" : "muster-coordinator.xml");
        }
        Map<String, String> props;
        try {
            props = configure(flags.toArray(String[]::new));
        } catch (IllegalArgumentException | IOException e) {
            String message = e instanceof java.nio.file.NoSuchFileException ? "no file " + e.getMessage()
                    : e.getMessage();
            System.err.println("muster-coordinator: " + message);
            System.exit(2);
            return;
        }
        Coordinator coordinator;
        try {
            PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            MusterMetrics metrics = new MusterMetrics().expose("metrics", METRICS_MEDIA_TYPE, prometheus::scrape);
            CoordinatorBuilder builder = Coordinator.builder();
            Plugins.all(Validator.class, StandaloneCoordinator.class.getClassLoader()).values()
                    .forEach(builder::validator);
            coordinator = builder.instrumentation(metrics).configure(props).build();
            metrics.bindTo(prometheus);
            new JvmMemoryMetrics().bindTo(prometheus);
            new JvmGcMetrics().bindTo(prometheus);
            new ProcessorMetrics().bindTo(prometheus);
            coordinator.start();
        } catch (MusterException e) {
            System.err.println("muster-coordinator: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            coordinator.stop();
            stopped.countDown();
        }, "muster-shutdown"));
        System.out.println("muster coordinator listening on " + coordinator.transports().get(0).address()
                + " (trust: " + coordinator.trustPolicy().name() + ", store: " + describeStore(props) + ")");
        System.out.println("  health:      curl " + coordinator.transports().get(0).address() + "health");
        System.out.println("  leaderboard: curl " + coordinator.transports().get(0).address() + "leaderboard");
        System.out.println("  metrics:     curl " + coordinator.transports().get(0).address().resolve("/metrics"));
        System.out.flush();
        stopped.await();
    }

    static Map<String, String> configure(String[] args) throws IOException {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("store", "jdbc");
        String data = "muster-data";
        props.put("trust", "quorum");
        props.put("trust.replicas", "2");
        props.put("transport", "http");
        props.put("transport.host", "127.0.0.1");
        props.put("transport.port", "8080");
        StringBuilder keys = new StringBuilder();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--config" -> {
                    Properties file = new Properties();
                    try (Reader r = Files.newBufferedReader(Path.of(value), StandardCharsets.UTF_8)) {
                        file.load(r);
                    }
                    file.stringPropertyNames().forEach(k -> props.put(k, file.getProperty(k)));
                }
                case "--port" -> props.put("transport.port", value);
                case "--data" -> data = value;
                case "--store-url" -> {
                    props.put("store", "jdbc");
                    props.put("store.url", value);
                }
                case "--host" -> props.put("transport.host", value);
                case "--trust" -> {
                    // Another policy's settings do not carry over; the same policy's do.
                    if (!value.equals(props.get("trust"))) {
                        props.keySet().removeIf(k -> k.startsWith("trust."));
                    }
                    props.put("trust", value);
                }
                case "--allowlist" -> props.put("trust.keysFile", value);
                case "--api-key-file" -> {
                    for (String line : Files.readAllLines(Path.of(value), StandardCharsets.UTF_8)) {
                        if (!line.isBlank() && !line.strip().startsWith("#")) {
                            keys.append(keys.length() == 0 ? "" : ",").append(apiKey(line.strip(), "--api-key-file"));
                        }
                    }
                }
                case "--api-key" -> {
                    keys.append(keys.length() == 0 ? "" : ",").append(apiKey(value, "--api-key"));
                }
                default -> throw new IllegalArgumentException("unknown flag " + flag
                        + "; flags are --config, --port, --host, --trust, --allowlist, --api-key, --api-key-file, --data,"
                        + " --store-url, --log-json");
            }
        }
        // The access log (on by default here) goes beside the data unless -Dmuster.logDir says otherwise.
        if (System.getProperty("muster.logDir") == null) {
            System.setProperty("muster.logDir", Path.of(data).toAbsolutePath().toString());
        }
        props.putIfAbsent("transport.accessLog", "true");
        // Workers pin the ticket-signing key, so it outlives the process (see /v1/coordinator/key).
        props.putIfAbsent("signing.keyFile", Path.of(data).toAbsolutePath().resolve("coordinator-key.pem").toString());
        if (props.get("store").equals("jdbc") && !props.containsKey("store.url")) {
            props.put("store.url", defaultStoreUrl(Path.of(data).toAbsolutePath()));
        }
        if (keys.length() > 0) {
            String existing = props.get("transport.apiKeys");
            props.put("transport.apiKeys", existing == null || existing.isBlank() ? keys.toString()
                    : existing + "," + keys);
        }
        return props;
    }

    /** @return {@code name:scopes:key} with the key replaced by its SHA-256, as the transport keeps it */
    private static String apiKey(String entry, String flag) {
        String[] f = entry.split(":", 3);
        if (f.length != 3 || f[0].isBlank() || f[1].isBlank() || f[2].isBlank()) {
            throw new IllegalArgumentException(flag + " takes name:scope+scope:key, e.g. lab:submit+read:s3cret");
        }
        return f[0] + ':' + f[1] + ':' + Digests.sha256Hex(f[2].getBytes(StandardCharsets.UTF_8));
    }

    /**
     * SQLite in the data directory; but H2 if an earlier version left its database there and no
     * SQLite one exists, so that upgrading does not hide a pool's jobs and credit.
     */
    static String defaultStoreUrl(Path data) {
        if (data.toString().contains("?")) {
            // A JDBC URL's parameters start at '?': the store would open another file than the one named.
            throw new IllegalArgumentException("--data must not contain '?', was " + data);
        }
        Path sqlite = data.resolve("muster.db");
        Path h2 = data.resolve("muster.mv.db");
        if (Files.exists(h2) && !Files.exists(sqlite)) {
            System.err.println("muster-coordinator: WARNING: " + data + " holds an H2 store from an earlier version; "
                    + "using it, but H2 may lose acknowledged work when the process is killed. Move it away to start a "
                    + "crash-safe SQLite store there (see docs/design.md, \"Embedded store\").");
            return "jdbc:h2:file:" + data.resolve("muster");
        }
        return "jdbc:sqlite:" + sqlite;
    }

    private static String describeStore(Map<String, String> props) {
        String store = props.get("store");
        if (store.equals("memory")) {
            return "memory, not durable";
        }
        String url = props.getOrDefault("store.url", "");
        return store + (url.isEmpty() ? "" : " at " + url.replaceAll("password=[^&;]*", "password=***"));
    }
}
