package dev.muster.transport.http;

import dev.muster.worker.HttpProblemException;
import dev.muster.worker.WorkerLoop;
import dev.muster.worker.WorkerClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muster.spi.Capabilities;
import dev.muster.spi.JobHandler;
import dev.muster.spi.Keys;
import dev.muster.spi.ReportOutcome;
import dev.muster.spi.ReportStatus;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Ticket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real server on loopback, real worker clients, jobs submitted over the API, all accepted. */
class HttpEndToEndTest {

    @Test
    void jobsSubmittedOverHttp_areRunByWorkerClients_andAllAccepted(@TempDir Path dir) throws Exception {
        try (HttpFixture f = new HttpFixture(Map.of())) {
            assertEquals("UP", f.call("GET", "health", null).body().get("status").asText());

            List<WorkerClient> workers = new ArrayList<>();
            for (String owner : List.of("alice", "bob", "carol")) {
                KeyPair key = WorkerClient.loadOrCreateKey(dir.resolve(owner + ".pem"));
                WorkerClient w = new WorkerClient(f.base, key);
                w.register(owner, Capabilities.of(2, 2048), "test-build", 20);
                workers.add(w);
            }
            KeyPair again = WorkerClient.loadOrCreateKey(dir.resolve("alice.pem"));
            assertEquals(workers.get(0).id(), new WorkerClient(f.base, again).id(), "the PEM file keeps the identity");
            assertTrue(Files.readString(dir.resolve("alice.pem")).contains("BEGIN PRIVATE KEY"));

            HttpFixture.Reply submitted = f.submit(HttpFixture.SUBMITTER_KEY, HttpFixture.echoJobs(30, 100));
            assertEquals(201, submitted.status(), submitted.body().toString());
            assertEquals(30, submitted.body().get("jobs").size());
            assertEquals("deck-lab", submitted.body().get("jobs").get(0).get("submitter").asText());

            Map<String, Integer> reportsByWorker = new HashMap<>();
            boolean progress = true;
            while (progress) {
                progress = false;
                for (WorkerClient w : workers) {
                    w.heartbeat();
                    List<Ticket> tickets = w.lease(7);
                    if (tickets.isEmpty()) {
                        continue;
                    }
                    progress = true;
                    List<ResultReport> results = new ArrayList<>();
                    for (Ticket t : tickets) {
                        byte[] out = ("result of " + new String(t.spec().payload(), StandardCharsets.UTF_8))
                                .getBytes(StandardCharsets.UTF_8);
                        results.add(ResultReport.of(t.jobId(), t.replica(), t.seed(), out, Map.of("turns", "3")));
                    }
                    for (ReportOutcome o : w.report(results)) {
                        assertTrue(o.status() == ReportStatus.ACCEPTED || o.status() == ReportStatus.RECORDED, o.toString());
                    }
                    reportsByWorker.merge(w.id().value(), results.size(), Integer::sum);
                }
            }

            JsonNode pool = f.call("GET", "pool", null).body();
            assertEquals(30, pool.get("jobs").get("ACCEPTED").asInt());
            assertEquals(0, pool.get("activeLeases").asInt());
            String firstId = submitted.body().get("jobs").get(0).get("id").asText();
            JsonNode job = f.call("GET", "jobs/" + firstId, null, "Authorization", "Bearer " + HttpFixture.READER_KEY)
                    .body();
            assertEquals(404, f.call("GET", "jobs/" + firstId, null, "Authorization",
                    "Bearer " + HttpFixture.READER_KEY).status(), "a reader sees only its own jobs");
            JsonNode own = f.call("GET", "jobs/" + firstId, null, "Authorization",
                    "Bearer " + HttpFixture.SUBMITTER_KEY).body();
            assertEquals("ACCEPTED", own.get("state").asText(), String.valueOf(job));

            JsonNode page = f.call("GET", "jobs?state=accepted&limit=20", null, "Authorization",
                    "Bearer " + HttpFixture.SUBMITTER_KEY).body();
            assertEquals(20, page.get("jobs").size());
            JsonNode rest = f.call("GET", "jobs?state=accepted&limit=20&after=" + page.get("next").asText(), null,
                    "Authorization", "Bearer " + HttpFixture.SUBMITTER_KEY).body();
            assertEquals(10, rest.get("jobs").size());
            assertTrue(page.has("next") && !rest.has("next"), "only a full page has a next cursor: " + rest);
            assertEquals(0, f.call("GET", "jobs", null, "Authorization", "Bearer " + HttpFixture.READER_KEY).body()
                    .get("jobs").size(), "a reader lists only its own jobs");
            JsonNode result = f.call("GET", "jobs/" + firstId + "/result", null, "Authorization",
                    "Bearer " + HttpFixture.SUBMITTER_KEY).body();
            assertEquals("result of game 100", new String(java.util.Base64.getDecoder().decode(
                    result.get("result").asText()), StandardCharsets.UTF_8));
            assertEquals(3, f.call("GET", "admin/workers", null, "Authorization", "Bearer " + HttpFixture.ADMIN_KEY)
                    .body().get("workers").size());

            JsonNode board = f.call("GET", "leaderboard?scope=owner&limit=10", null).body();
            double total = 0;
            for (JsonNode e : board.get("entries")) {
                total += e.get("credit").asDouble();
            }
            assertEquals(60.0, total, 1e-9, "two agreeing replicas per job, one credit each");
            int reported = reportsByWorker.values().stream().mapToInt(Integer::intValue).sum();
            assertEquals(60, reported);
            assertEquals(3, board.get("entries").size());
        }
    }

    @Test
    void workerLoops_runEveryJob_andReturnWhenIdle() {
        try (HttpFixture f = new HttpFixture(Map.of())) {
            assertEquals(201, f.submit(HttpFixture.SUBMITTER_KEY, HttpFixture.echoJobs(25, 1)).status());
            JobHandler echo = t -> ResultReport.of(t.jobId(), t.replica(), t.seed(), t.spec().payload(), Map.of());
            long reported = 0;
            for (String owner : List.of("alice", "bob", "carol")) {
                WorkerClient client = new WorkerClient(f.base, Keys.generate());
                client.register(owner, Capabilities.of(2, 1024), "test-build", 10);
                WorkerLoop loop = new WorkerLoop(client, echo, 4, java.time.Duration.ofMillis(10),
                        java.time.Duration.ofSeconds(1)).stopWhenIdle();
                loop.run();
                assertEquals(0, loop.failures());
                reported += loop.reported();
            }
            assertEquals(50, reported, "two replicas of each of 25 jobs");
            assertEquals(25, f.call("GET", "pool", null).body().get("jobs").get("ACCEPTED").asInt());
        }
    }

    @Test
    void longPoll_returnsWorkSubmittedWhileTheWorkerWaits() throws Exception {
        try (HttpFixture f = new HttpFixture(Map.of())) {
            WorkerClient w = new WorkerClient(f.base, Keys.generate());
            w.register("alice", Capabilities.of(2, 1024), "b", 4);
            java.util.concurrent.CompletableFuture<List<Ticket>> waiting = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> w.lease(4, java.time.Duration.ofSeconds(20)));
            assertEquals(201, f.submit(HttpFixture.SUBMITTER_KEY, HttpFixture.echoJobs(1, 77)).status());
            assertEquals(1, waiting.get(30, java.util.concurrent.TimeUnit.SECONDS).size());
            assertTrue(w.lease(4, java.time.Duration.ofMillis(100)).isEmpty(), "a wait with no work ends empty");
            HttpProblemException tooLong = org.junit.jupiter.api.Assertions.assertThrows(HttpProblemException.class,
                    () -> w.lease(4, java.time.Duration.ofMinutes(10)));
            assertEquals(400, tooLong.status());
        }
    }

    @Test
    void workerKeyFile_isCreatedOnce_andReused(@TempDir Path dir) throws Exception {
        KeyPair first = WorkerClient.loadOrCreateKey(dir.resolve("keys/worker.pem"));
        KeyPair second = WorkerClient.loadOrCreateKey(dir.resolve("keys/worker.pem"));
        assertEquals(first.getPublic(), second.getPublic());
        assertTrue(Keys.verify(second.getPublic(), new byte[] {1}, Keys.sign(first.getPrivate(), new byte[] {1})));
    }
}
