package dev.muster.examples;

import dev.muster.examples.cardgame.CardGameHandler;
import dev.muster.spi.Capabilities;
import dev.muster.spi.Keys;
import dev.muster.spi.MusterException;
import dev.muster.worker.WorkerClient;
import dev.muster.worker.WorkerLoop;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A volunteer worker: joins a coordinator by URL with a key kept in a PEM file (created on first
 * run), and runs card-game jobs until stopped (Ctrl-C: the job it is running is finished and
 * reported, the tickets it has not started are given back to the queue).
 *
 * <pre>
 * java -jar muster-worker.jar --url http://127.0.0.1:8080/v1/ --owner alice [--key worker.pem]
 *      [--owner-secret-file alice.secret] [--coordinator-key muster-coordinator.pem] [--batch 16]
 *      [--until-idle]
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
public final class VolunteerWorker {
    private VolunteerWorker() {}

    /** @param args see the class documentation */
    public static void main(String[] args) throws Exception {
        String url = null;
        String owner = null;
        Path keyFile = Path.of("muster-worker.pem");
        Path coordinatorKeyFile = null;
        Path ownerSecretFile = null;
        int batch = 16;
        boolean untilIdle = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = value(args, ++i, "--url");
                case "--owner" -> owner = value(args, ++i, "--owner");
                case "--key" -> keyFile = Path.of(value(args, ++i, "--key"));
                case "--coordinator-key" -> coordinatorKeyFile = Path.of(value(args, ++i, "--coordinator-key"));
                case "--owner-secret-file" -> ownerSecretFile = Path.of(value(args, ++i, "--owner-secret-file"));
                case "--batch" -> batch = Integer.parseInt(value(args, ++i, "--batch"));
                case "--until-idle" -> untilIdle = true;
                default -> {
                    System.err.println("muster-worker: unknown flag " + args[i]
                            + "; flags are --url, --owner, --owner-secret-file, --key, --coordinator-key, --batch,"
                            + " --until-idle");
                    System.exit(2);
                }
            }
        }
        if (url == null || owner == null) {
            System.err.println("muster-worker: --url and --owner are required");
            System.exit(2);
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
                    Runtime.getRuntime().maxMemory() >> 20), "muster-examples-0.1", batch * 2);
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
        System.out.println("worker " + client.id() + " of " + owner + " joined " + url);
        WorkerLoop loop = new WorkerLoop(client, new CardGameHandler(), batch, Duration.ofMillis(200),
                Duration.ofSeconds(30));
        if (untilIdle) {
            loop.stopWhenIdle();
        }
        Thread main = Thread.currentThread();
        Thread hook = new Thread(() -> {
            loop.stop();
            try {
                main.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "muster-worker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        loop.run();
        System.out.println("worker " + client.id() + " stopped after " + loop.reported() + " results");
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
            System.err.println("muster-worker: " + flag + " needs a value");
            System.exit(2);
        }
        return args[i];
    }
}
