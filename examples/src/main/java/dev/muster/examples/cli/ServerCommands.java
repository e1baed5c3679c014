package dev.muster.examples.cli;

import dev.muster.examples.StandaloneCoordinator;
import dev.muster.worker.WorkerMain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The long-running programs: the standalone coordinator and the stock worker. */
final class ServerCommands {
    private ServerCommands() {}

    private static void add(List<String> args, String flag, Object value) {
        if (value != null) {
            args.add(flag);
            args.add(value.toString());
        }
    }

    @Command(name = "coordinator", mixinStandardHelpOptions = true,
            description = "Run the standalone coordinator: the job types on its class path, HTTP, a store on disk.")
    static final class Coordinator implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ConfigOption config;

        @Option(names = "--settings", paramLabel = "<file>",
                description = "The coordinator's settings (store.url, trust.replicas, transport.* ...), as properties.")
        Path settings;

        @Option(names = "--port", paramLabel = "<port>", description = "HTTP port (default 8080).")
        Integer port;

        @Option(names = "--host", paramLabel = "<address>", description = "Address to listen on (default 127.0.0.1).")
        String host;

        @Option(names = "--trust", paramLabel = "<policy>", description = "quorum (default), allowlist or credibility.")
        String trust;

        @Option(names = "--allowlist", paramLabel = "<file>", description = "Workers' public keys (PEM), for --trust allowlist.")
        Path allowlist;

        @Option(names = "--api-keys-file", paramLabel = "<file>",
                description = "The API keys the coordinator accepts, one name:scope+scope:key per line (only their"
                        + " hashes are kept).")
        Path apiKeysFile;

        @Option(names = "--data", paramLabel = "<dir>", description = "Where the store and logs live (default muster-data).")
        Path data;

        @Option(names = "--store-url", paramLabel = "<jdbc url>", description = "A PostgreSQL database instead.")
        String storeUrl;

        @Option(names = "--log-json", description = "Log JSON lines.")
        boolean logJson;

        @Override
        public Integer call() throws Exception {
            List<String> args = new ArrayList<>();
            add(args, "--config", settings);
            add(args, "--port", port);
            add(args, "--host", host);
            add(args, "--trust", trust);
            add(args, "--allowlist", allowlist);
            add(args, "--api-key-file", apiKeysFile);
            add(args, "--data", data);
            add(args, "--store-url", storeUrl);
            if (logJson) {
                args.add("--log-json");
            }
            StandaloneCoordinator.main(args.toArray(String[]::new));
            return 0;
        }
    }

    @Command(name = "worker", mixinStandardHelpOptions = true,
            description = "Run the stock worker: the job types whose jars are on its class path.")
    static final class Worker implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ConfigOption config;

        @Option(names = "--url", paramLabel = "<url>", required = true, description = "The coordinator's API root.")
        String url;

        @Option(names = "--owner", paramLabel = "<name>", required = true, description = "Whose credit the work earns.")
        String owner;

        @Option(names = "--owner-secret-file", paramLabel = "<file>", description = "The owner account's secret.")
        Path ownerSecretFile;

        @Option(names = "--key", paramLabel = "<file>", description = "The worker's key (default muster-worker.pem).")
        Path key;

        @Option(names = "--coordinator-key", paramLabel = "<file>", description = "The coordinator's key to pin.")
        Path coordinatorKey;

        @Option(names = "--batch", paramLabel = "<n>", description = "Tickets per lease (default 16).")
        Integer batch;

        @Option(names = "--threads", paramLabel = "<n>", description = "Leases run at once (default 1).")
        Integer threads;

        @Option(names = "--until-idle", description = "Stop when the queue has nothing.")
        boolean untilIdle;

        @Override
        public Integer call() throws Exception {
            List<String> args = new ArrayList<>();
            add(args, "--url", url);
            add(args, "--owner", owner);
            add(args, "--owner-secret-file", ownerSecretFile);
            add(args, "--key", key);
            add(args, "--coordinator-key", coordinatorKey);
            add(args, "--batch", batch);
            add(args, "--threads", threads);
            if (untilIdle) {
                args.add("--until-idle");
            }
            WorkerMain.main(args.toArray(String[]::new));
            return 0;
        }
    }
}
