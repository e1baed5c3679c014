package dev.muster.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muster.spi.JobSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The standalone coordinator ({@link StandaloneCoordinator}) as a child process of the test JVM,
 * on a fixed loopback port and data directory so that it can be killed with SIGKILL and started
 * again on the same store, with an API key for the test's submitter and no per-address rate limit.
 * Its output goes to {@code coordinator.log} in the directory, which failures quote.
 */
final class CoordinatorProcess implements AutoCloseable {
    static final String API_KEY = "crash-test-key-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** SIGKILL is signal 9; a JVM reports a process killed by signal N as exit value 128 + N. */
    private static final int KILLED_BY_SIGKILL = 128 + 9;

    private final Path dir;
    private final List<String> storeArgs;
    private final int port;
    private final URI base;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;
    private int kills;

    /**
     * @param dir       the coordinator's data directory (its SQLite file, unless storeArgs name another store) and log
     * @param storeArgs extra flags, e.g. {@code --store-url jdbc:postgresql://...}
     */
    CoordinatorProcess(Path dir, List<String> storeArgs) {
        this.dir = dir;
        this.storeArgs = List.copyOf(storeArgs);
        this.port = freePort();
        this.base = URI.create("http://127.0.0.1:" + port + "/v1/");
        this.log = dir.resolve("coordinator.log");
    }

    /** @return the API root, {@code http://127.0.0.1:PORT/v1/} */
    URI base() {
        return base;
    }

    /** @return SIGKILLs so far */
    int kills() {
        return kills;
    }

    /** Starts the coordinator and waits until {@code /v1/health} answers 200. */
    void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("coordinator already running");
        }
        Path config = dir.resolve("coordinator.properties");
        try {
            // All the test's clients share 127.0.0.1: the per-address rate limit is not under test here.
            Files.writeString(config, "transport.ratePerAddress=0\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx256m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                StandaloneCoordinator.class.getName(), "--config", config.toString(), "--port", Integer.toString(port),
                "--data", dir.resolve("data").toString(), "--api-key", "crash:submit+read+admin:" + API_KEY));
        command.addAll(storeArgs);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the coordinator process", e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("coordinator exited with " + process.exitValue() + "; log:\n" + logTail());
            }
            try {
                if (call("GET", "health", null).status() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("coordinator not healthy within 90 s; log:\n" + logTail());
            }
            pause(50);
        }
    }

    /** Kills the coordinator with SIGKILL (no shutdown hook runs) and checks that SIGKILL is what ended it. */
    void kill() {
        // On Linux and macOS Process.destroyForcibly() sends SIGKILL; the exit value proves it.
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("coordinator still alive 30 s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (process.exitValue() != KILLED_BY_SIGKILL) {
            throw new IllegalStateException("coordinator ended with " + process.exitValue() + ", not by SIGKILL");
        }
        kills++;
    }

    /** One answer of the API. */
    record Reply(int status, JsonNode body) {}

    /**
     * Calls the API with the test's key.
     *
     * @throws IOException if the coordinator does not answer (not running, killed mid-call)
     */
    Reply call(String method, String path, Object body) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + API_KEY).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode node = r.body().length == 0 ? null : JSON.readTree(r.body());
            return new Reply(r.statusCode(), node);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * Submits card games {@code 0..n-1} (the demo's) with the default timeout, a 10-minute lease.
     *
     * @return their job ids, in order
     * @throws IOException if the coordinator does not answer 201
     */
    List<String> submitGames(int n) throws IOException {
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (JobSpec s : Demo.games(0, n)) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("type", s.type());
            j.put("payload", Base64.getEncoder().encodeToString(s.payload()));
            j.put("mediaType", s.mediaType());
            j.put("seed", s.seed());
            jobs.add(j);
        }
        Reply r = call("POST", "jobs", Map.of("jobs", jobs));
        if (r.status() != 201) {
            throw new IOException("POST jobs answered " + r.status() + ": " + r.body());
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode j : r.body().get("jobs")) {
            ids.add(j.get("id").asText());
        }
        return ids;
    }

    /** Like {@link #call} but expects 200. */
    JsonNode get(String path) throws IOException {
        Reply r = call("GET", path, null);
        if (r.status() != 200) {
            throw new IOException("GET " + path + " answered " + r.status() + ": " + r.body());
        }
        return r.body();
    }

    /** @return the last lines of the coordinator's output */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the coordinator if it runs (SIGTERM, then SIGKILL). */
    @Override
    public void close() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A polling interval between checks of a condition, never synchronisation by itself. */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
