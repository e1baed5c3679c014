package dev.muster.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user outside this repository does: publish Muster (a dry run of the release, into a
 * directory), build a job type in a separate Maven project that depends only on the BOM and
 * {@code muster-spi} from there ({@code samples/word-count}), and run it in the stock programs by
 * putting its jar on their class path: its validator in the coordinator, its handler in the worker.
 * Runs after {@code package} (failsafe), since it starts the packaged jars.
 */
class ExternalJobTypeIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path JARS = Path.of("target").toAbsolutePath();
    private static final String KEY = "external-job-type-key";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The version this build makes, which the sample is built against. */
    private static final String VERSION = System.getProperty("muster.version", "0.1.0-SNAPSHOT");
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static String mvn() {
        String home = System.getProperty("maven.home");
        return home != null && !home.isBlank() && Files.isExecutable(Path.of(home, "bin", "mvn"))
                ? Path.of(home, "bin", "mvn").toString() : "mvn";
    }

    private static void run(Path dir, Path log, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 10 minutes:\n" + tail(log));
        }
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + tail(log));
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private Process start(Path log, String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        return p;
    }

    private static HttpResponse<String> call(String method, URI uri, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json").method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String jobs(String... texts) {
        StringBuilder b = new StringBuilder("{\"jobs\":[");
        for (int i = 0; i < texts.length; i++) {
            b.append(i == 0 ? "" : ",").append("{\"type\":\"word-count\",\"seed\":").append(i).append(",\"payload\":\"")
                    .append(Base64.getEncoder().encodeToString(texts[i].getBytes(StandardCharsets.UTF_8))).append("\"}");
        }
        return b.append("]}").toString();
    }

    @Test
    void aJobTypeBuiltAgainstThePublishedArtifacts_runsInTheStockCoordinatorAndWorker(@TempDir Path tmp)
            throws Exception {
        Path repository = tmp.resolve("dry-run-repo");
        // Not into the local repository (deploy runs install first): a dry run leaves no trace there.
        run(ROOT, tmp.resolve("publish.log"), mvn(), "-B", "-Prelease", "-DskipTests", "-Dmaven.install.skip=true",
                "-Dgpg.skip=true", "deploy", "-DaltDeploymentRepository=dry-run::file:" + repository,
                "-pl", ".,bom,coordinator-spi,store-memory,store-jdbc,coordinator-core,worker,transport-http");
        assertTrue(Files.exists(repository.resolve("dev/muster/muster-bom")), "the BOM was published");
        assertTrue(Files.exists(repository.resolve("dev/muster/muster-parent")), "the parent POM too");
        try (Stream<Path> files = Files.walk(repository.resolve("dev/muster/muster-spi"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().anyMatch(n -> n.endsWith("-sources.jar")), names.toString());
            assertTrue(names.stream().anyMatch(n -> n.endsWith("-javadoc.jar")), names.toString());
        }

        Path project = tmp.resolve("word-count");
        copy(ROOT.resolve("samples/word-count"), project);
        // A local repository of its own: the Muster artifacts can only come from the dry run.
        run(project, tmp.resolve("build.log"), mvn(), "-B", "-q", "package", "-Dmuster.repository=file:" + repository,
                "-Dmuster.version=" + VERSION, "-Dmaven.repo.local=" + tmp.resolve("m2"));
        Path jobType;
        try (Stream<Path> jars = Files.list(project.resolve("target"))) {
            jobType = jars.filter(p -> p.getFileName().toString().matches("word-count-.*\\.jar")).findFirst()
                    .orElseThrow();
        }
        try (ZipFile jar = new ZipFile(jobType.toFile())) {
            assertTrue(jar.stream().noneMatch(e -> e.getName().startsWith("dev/muster/")), "only the job type's classes");
        }

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        URI base = URI.create("http://127.0.0.1:" + port + "/v1/");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        start(tmp.resolve("coordinator.log"), java, "-cp", JARS.resolve("muster-coordinator.jar") + File.pathSeparator
                + jobType, "dev.muster.examples.StandaloneCoordinator", "--port", Integer.toString(port), "--data",
                tmp.resolve("data").toString(), "--api-key", "lab:submit+read:" + KEY);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                if (call("GET", base.resolve("health/ready"), null).statusCode() == 200) {
                    break;
                }
            } catch (IOException e) {
                // not listening yet
            }
            assertTrue(System.nanoTime() < deadline, "the coordinator is ready within 60 s:\n"
                    + tail(tmp.resolve("coordinator.log")));
            LockSupport.parkNanos(50_000_000);
        }

        HttpResponse<String> refused = call("POST", base.resolve("jobs"), jobs("   "));
        assertEquals(400, refused.statusCode(), "the external validator checks payloads: " + refused.body());
        assertTrue(refused.body().contains("a text with no words"), refused.body());
        String[] texts = {"one", "two words", "the quick brown fox", "a b c d e f g", "  spaced   out  "};
        HttpResponse<String> submitted = call("POST", base.resolve("jobs"), jobs(texts));
        assertTrue(submitted.statusCode() / 100 == 2, submitted.body());

        // Two workers with different owners: the default pool wants two agreeing replicas.
        List<Process> workers = new ArrayList<>();
        for (String owner : List.of("ext-1", "ext-2")) {
            workers.add(start(tmp.resolve(owner + ".log"), java, "-cp", JARS.resolve("muster-worker.jar")
                    + File.pathSeparator + jobType, "dev.muster.worker.WorkerMain", "--url", base.toString(),
                    "--owner", owner, "--key", tmp.resolve(owner + ".pem").toString(), "--until-idle"));
        }
        for (Process w : workers) {
            assertTrue(w.waitFor(120, TimeUnit.SECONDS), "a worker finished within 120 s");
        }
        JsonNode pool = JSON.readTree(call("GET", base.resolve("pool"), null).body());
        assertEquals(texts.length, pool.get("jobs").get("ACCEPTED").asInt(), pool + "\n"
                + tail(tmp.resolve("ext-1.log")) + "\n" + tail(tmp.resolve("ext-2.log")));
        JsonNode listed = JSON.readTree(call("GET", base.resolve("jobs?state=accepted"), null).body()).get("jobs");
        long[] expected = {1, 2, 4, 7, 2};
        for (JsonNode job : listed) {
            String result = JSON.readTree(call("GET", base.resolve("jobs/" + job.get("id").asText() + "/result"), null)
                    .body()).get("result").asText();
            String count = new String(Base64.getDecoder().decode(result), StandardCharsets.UTF_8);
            assertEquals(expected[job.get("seed").asInt()], Long.parseLong(count), job.toString());
        }
        String workerLog = Files.readString(tmp.resolve("ext-1.log"));
        assertTrue(workerLog.contains("runs [word-count]"), workerLog);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (from.relativize(p).startsWith("target")) {
                    continue;
                }
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
    }
}
