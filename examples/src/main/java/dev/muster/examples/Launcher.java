package dev.muster.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muster.spi.JobSpec;
import java.io.IOException;
import java.net.ServerSocket;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The README's run command: starts a standalone coordinator and a few volunteer workers as
 * separate processes on loopback, submits a batch of card games over HTTP, waits until every game
 * is decided, shows the leaderboard, and stops every process it started (also on Ctrl-C). The
 * coordinator keeps its store in {@code muster-data/}: a second run finds the first run's jobs and
 * credit, and adds its games after them.
 *
 * <p>Usage: {@code Launcher <dir with muster-coordinator.jar, muster-worker.jar and the card game's jar>
 * [games] [workers]}. The workers are the stock worker with the card game's jar on its class path.
 */
public final class Launcher {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Where the coordinator keeps its database, so a second run finds the first run's jobs and credit. */
    private static final Path DATA = Path.of("muster-data");
    private final List<Process> children = new ArrayList<>();
    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private Launcher() {}

    /** @param args jar directory, then optionally the number of games and of workers */
    public static void main(String[] args) throws Exception {
        Path jars = Path.of(args.length > 0 ? args[0] : "examples/target");
        int games = args.length > 1 && !args[1].isBlank() ? Integer.parseInt(args[1].trim()) : 300;
        int workers = args.length > 2 && !args[2].isBlank() ? Integer.parseInt(args[2].trim()) : 3;
        Launcher l = new Launcher();
        Runtime.getRuntime().addShutdownHook(new Thread(l::stopAll, "launcher-shutdown"));
        try {
            l.run(jars, games, workers);
        } finally {
            l.stopAll();
        }
    }

    private void run(Path jars, int games, int workers) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        URI base = URI.create("http://127.0.0.1:" + port + "/v1/");

        System.out.println("== starting a coordinator process on port " + port);
        start(List.of(java, "-jar", jars.resolve("muster-coordinator.jar").toString(), "--port",
                Integer.toString(port), "--data", DATA.toString(), "--api-key", "launcher:submit+read+admin:" + key));
        awaitHealthy(base);
        JsonNode earlier = call("GET", base.resolve("pool"), null, null).get("jobs");
        long held = 0;
        for (JsonNode n : earlier) {
            held += n.asLong();
        }
        long decidedBefore = earlier.get("ACCEPTED").asLong() + earlier.get("FAILED").asLong()
                + earlier.get("CANCELLED").asLong();
        if (held > 0) {
            System.out.printf("== the store in %s kept %d jobs from earlier runs (%d decided); this run adds %d%n",
                    DATA, held, decidedBefore, games);
        }

        Path keys = Files.createTempDirectory("muster-workers");
        // The stock worker runs the job types on its class path: the card game's jar beside it.
        Path cardGame;
        try (var found = Files.list(jars)) {
            cardGame = found.filter(p -> p.getFileName().toString().endsWith("-card-game.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no *-card-game.jar in " + jars));
        }
        System.out.println("== starting " + workers + " worker processes");
        for (int i = 1; i <= workers; i++) {
            start(List.of(java, "-cp", jars.resolve("muster-worker.jar") + File.pathSeparator + cardGame,
                    "dev.muster.worker.WorkerMain", "--url", base.toString(),
                    "--owner", "volunteer-" + i, "--key", keys.resolve("worker-" + i + ".pem").toString()));
        }

        System.out.println("== submitting " + games + " card games");
        List<JobSpec> specs = Demo.games(held, games);
        for (int i = 0; i < specs.size(); i += 100) {
            List<Map<String, Object>> jobs = new ArrayList<>();
            for (JobSpec s : specs.subList(i, Math.min(specs.size(), i + 100))) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("type", s.type());
                j.put("payload", Base64.getEncoder().encodeToString(s.payload()));
                j.put("mediaType", s.mediaType());
                j.put("seed", s.seed());
                j.put("idempotencyKey", s.idempotencyKey());
                jobs.add(j);
            }
            JsonNode r = call("POST", base.resolve("jobs"), key, Map.of("jobs", jobs));
            if (!r.has("jobs")) {
                throw new IllegalStateException("submission refused: " + r);
            }
        }

        long start = System.nanoTime();
        int decided = 0;
        while (decided < games) {
            if (System.nanoTime() - start > Duration.ofMinutes(5).toNanos()) {
                throw new IllegalStateException("gave up after 5 minutes with " + decided + " games decided");
            }
            Thread.sleep(250); // polling the pool's public summary while the worker processes run
            JsonNode jobs = call("GET", base.resolve("pool"), null, null).get("jobs");
            int now = (int) (jobs.get("ACCEPTED").asLong() + jobs.get("FAILED").asLong() + jobs.get("CANCELLED").asLong()
                    - decidedBefore);
            if (now / 100 > decided / 100 || now == games) {
                System.out.printf("  %d/%d games decided%n", now, games);
            }
            decided = now;
        }
        System.out.printf("== all %d games decided in %d ms by separate worker processes%n", games,
                (System.nanoTime() - start) / 1_000_000);
        JsonNode board = call("GET", base.resolve("leaderboard?scope=owner&limit=10"), null, null);
        System.out.println("leaderboard (owners, all runs):");
        for (JsonNode e : board.get("entries")) {
            System.out.printf("  %d. %-12s %8.2f credit %5d results%n", e.get("rank").asInt(), e.get("name").asText(),
                    e.get("credit").asDouble(), e.get("results").asLong());
        }
        JsonNode rejections = call("GET", base.resolve("admin/rejections?limit=5"), key, null).get("rejections");
        System.out.println("rejections: " + (rejections.isEmpty() ? "none" : rejections.toString()));
    }

    private void start(List<String> command) throws IOException {
        children.add(new ProcessBuilder(command).inheritIO().start());
    }

    private static void awaitHealthy(URI base) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(base.resolve("health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100); // waiting for another process to open its port
        }
        throw new IllegalStateException("the coordinator did not become healthy within 60 s");
    }

    private static JsonNode call(String method, URI uri, String key, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .header("Content-Type", "application/json");
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return JSON.readTree(HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray()).body());
    }

    /** Stops workers first (they drain), then the coordinator; waits for each. */
    private synchronized void stopAll() {
        for (int i = children.size() - 1; i >= 0; i--) {
            Process p = children.get(i);
            p.destroy();
            try {
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        children.clear();
    }
}
