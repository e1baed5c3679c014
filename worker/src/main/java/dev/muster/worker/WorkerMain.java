package dev.muster.worker;

import dev.muster.spi.Capabilities;
import dev.muster.spi.Keys;
import dev.muster.spi.MusterException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The stock worker: joins a coordinator by URL with a key kept in a PEM file (created on first
 * run), and runs the job types whose handlers are on its class path ({@link JobHandlers}) until
 * stopped (Ctrl-C: the jobs it is running are finished and reported, the tickets it has not
 * started are given back to the queue). It prints one line per batch.
 *
 * <pre>
 * java -cp muster-worker.jar:my-job-type.jar dev.muster.worker.WorkerMain
 *      --url http://127.0.0.1:8080/v1/ --owner alice [--key worker.pem]
 *      [--owner-secret-file alice.secret] [--coordinator-key muster-coordinator.pem] [--batch 16]
 *      [--threads 1] [--until-idle]
 * </pre>
 *
 * <p>Where the pool verifies owners, {@code --owner-secret-file} names a file holding the owner
 * account's secret (from an admin, or from {@code POST /v1/owners} where sign-up is open); a secret
 * is read from a file, never given on the command line, where other users of the machine see it.
 *
 * <p>The worker runs only tickets signed by the coordinator key it pinned: the one in
 * {@code --coordinator-key} (default {@code muster-coordinator.pem} beside the worker's key), or,
 * when that file does not exist yet, the key the coordinator publishes on first contact, which is
 * then saved there.
 */
public final class WorkerMain {
    private static final String USAGE = "usage: muster-worker --url <coordinator API root> --owner <name>"
            + " [--owner-secret-file <file>] [--key <pem>] [--coordinator-key <pem>] [--batch <n>] [--threads <n>]"
            + " [--until-idle]";

    private WorkerMain() {}

    /** @param args see the class documentation */
    public static void main(String[] args) throws Exception {
        String url = null;
        String owner = null;
        Path keyFile = Path.of("muster-worker.pem");
        Path coordinatorKeyFile = null;
        Path ownerSecretFile = null;
        int batch = 16;
        int threads = 1;
        boolean untilIdle = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = value(args, ++i, "--url");
                case "--owner" -> owner = value(args, ++i, "--owner");
                case "--key" -> keyFile = Path.of(value(args, ++i, "--key"));
                case "--coordinator-key" -> coordinatorKeyFile = Path.of(value(args, ++i, "--coordinator-key"));
                case "--owner-secret-file" -> ownerSecretFile = Path.of(value(args, ++i, "--owner-secret-file"));
                case "--batch" -> batch = count(value(args, ++i, "--batch"), "--batch", 1, 1_000);
                case "--threads" -> threads = count(value(args, ++i, "--threads"), "--threads", 1, 256);
                case "--until-idle" -> untilIdle = true;
                case "--help", "-h" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> fail("unknown flag " + args[i] + "\n" + USAGE);
            }
        }
        if (url == null || owner == null) {
            fail("--url and --owner are required\n" + USAGE);
        }
        JobHandlers handlers;
        try {
            handlers = JobHandlers.load();
        } catch (dev.muster.spi.ConfigurationException e) {
            fail(e.getMessage());
            return;
        }
        if (handlers.types().isEmpty()) {
            fail("no job handler on the class path: put the jar of a job type beside this one"
                    + " (java -cp muster-worker.jar:my-job-type.jar dev.muster.worker.WorkerMain ...)");
        }
        String ownerSecret = null;
        if (ownerSecretFile != null) {
            try {
                ownerSecret = Files.readString(ownerSecretFile, StandardCharsets.UTF_8).strip();
            } catch (java.io.IOException e) {
                System.err.println("muster-worker: cannot read the owner secret in " + ownerSecretFile + ": "
                        + e.getMessage());
                System.exit(2);
            }
        }
        WorkerClient client = new WorkerClient(URI.create(url), WorkerClient.loadOrCreateKey(keyFile));
        try {
            client.register(owner, ownerSecret, Capabilities.of(Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() >> 20), "muster-worker-0.1", batch * threads * 2);
        } catch (MusterException e) {
            System.err.println("muster-worker: cannot join " + url + ": " + e.getMessage());
            System.exit(1);
        }
        if (coordinatorKeyFile == null) {
            coordinatorKeyFile = keyFile.toAbsolutePath().resolveSibling("muster-coordinator.pem");
        }
        try {
            pinCoordinatorKey(client, coordinatorKeyFile);
        } catch (MusterException e) {
            System.err.println("muster-worker: cannot pin the coordinator's key: " + e.getMessage());
            System.exit(1);
        }
        System.out.println("worker " + client.id() + " of " + owner + " joined " + url + "; runs " + handlers.types()
                + " on " + threads + (threads == 1 ? " thread" : " threads"));
        java.util.List<WorkerLoop> loops = new java.util.ArrayList<>();
        java.util.List<Thread> running = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            WorkerLoop loop = new WorkerLoop(client, handlers, batch, Duration.ofMillis(200), Duration.ofSeconds(30))
                    .onBatch(b -> System.out.println("batch: " + b));
            if (untilIdle) {
                loop.stopWhenIdle();
            }
            loops.add(loop);
            running.add(new Thread(loop, "muster-worker-" + (t + 1)));
        }
        Thread hook = new Thread(() -> {
            loops.forEach(WorkerLoop::stop);
            // One deadline for all the loops: they stop together, not one after another.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            for (Thread r : running) {
                try {
                    r.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "muster-worker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        running.forEach(Thread::start);
        for (Thread r : running) {
            r.join();
        }
        System.out.println("worker " + client.id() + " stopped after "
                + loops.stream().mapToLong(WorkerLoop::reported).sum() + " results");
    }

    private static int count(String text, String flag, int min, int max) {
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        fail(flag + " takes a whole number from " + min + " to " + max + ", not '" + text + "'");
        return min;
    }

    private static void fail(String message) {
        System.err.println("muster-worker: " + message);
        System.exit(2);
    }

    /**
     * Pins the key saved in {@code file}; or, the first time, the key the coordinator publishes,
     * saved there so that a coordinator that later signs with another key is refused.
     */
    private static void pinCoordinatorKey(WorkerClient client, Path file) throws java.io.IOException {
        if (Files.exists(file)) {
            client.pinCoordinatorKey(Keys.publicKeyFromPem(Files.readString(file)));
            System.out.println("coordinator key pinned from " + file);
            return;
        }
        java.util.Optional<java.security.PublicKey> key = client.pinPublishedKey();
        if (key.isPresent()) {
            // Whole or not at all: workers started together may read it while another writes it.
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".coordinator-", ".pem");
            Files.writeString(tmp, Keys.toPem(key.get()));
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            System.out.println("coordinator key pinned on first contact and saved to " + file
                    + "; delete it to trust another coordinator");
        } else {
            System.out.println("the coordinator does not sign tickets; nothing to pin");
        }
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            fail(flag + " needs a value");
        }
        return args[i];
    }
}
