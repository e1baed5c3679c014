package dev.muster.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muster.examples.cardgame.CardGame;
import dev.muster.examples.cardgame.CardGameHandler;
import dev.muster.examples.cardgame.Matchup;
import dev.muster.spi.Capabilities;
import dev.muster.spi.Digests;
import dev.muster.spi.JobSpec;
import dev.muster.spi.Keys;
import dev.muster.store.jdbc.TestDatabases;
import dev.muster.worker.WorkerClient;
import dev.muster.worker.WorkerLoop;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the standalone coordinator (a child process) with SIGKILL at seeded random moments while a
 * submitter submits card games, and six workers in this JVM lease, run and report them; restarts
 * it on the same store and port each time; and checks at the end that every acknowledged job is
 * still there under its id with its spec, that every job ended ACCEPTED exactly once (no job seen
 * ACCEPTED before a kill is anything else after it, and the credit on the leaderboard is exactly
 * that of the accepted replicas), and that no acknowledged id ever named another job.
 *
 * <p>Between kills the coordinator runs for a random 0-1.2 s: that pause is the chaos timing,
 * not synchronisation; everything the test waits for is polled with a deadline. Properties:
 * {@code muster.crash.seed} (printed; random by default), {@code muster.crash.kills} (the
 * embedded SQLite store, default 20), {@code muster.crash.pgKills} (PostgreSQL, default 10),
 * {@code muster.crash.h2} ({@code true} runs the H2 case too, with {@code muster.crash.kills}
 * kills), {@code muster.crash.jobsPerKill} (default 12).
 */
class CrashSuiteTest {
    private static final int BATCH = 4;

    /** The standalone coordinator's default store: SQLite in its data directory. */
    @Test
    void coordinatorKilledRepeatedly_onTheEmbeddedStore_losesAndDoublesNothing(@TempDir Path dir) throws Exception {
        run("sqlite", dir, List.of(), Integer.getInteger("muster.crash.kills", 20));
    }

    /**
     * Not in {@code mvn verify}: on H2 2.5.252 this test fails. With {@code WRITE_DELAY=0} and a
     * sync per transaction (the store's defaults for H2) H2 still lost acknowledged submissions in
     * two runs out of four (8 of 244 and 12 of 252 jobs in 20 kills each, on a heavily loaded
     * machine; most of their ids were handed out again), while a run with {@code REUSE_SPACE=FALSE}
     * and one with {@code RETENTION_TIME=3600000} lost nothing: see "Embedded store" in
     * {@code docs/design.md}. Run it with {@code -Dmuster.crash.h2=true}; add H2 URL settings to
     * try with {@code -Dmuster.crash.h2Options=;REUSE_SPACE=FALSE}.
     */
    @Test
    @EnabledIfSystemProperty(named = "muster.crash.h2", matches = "true")
    void coordinatorKilledRepeatedly_onH2_losesAndDoublesNothing(@TempDir Path dir) throws Exception {
        String options = System.getProperty("muster.crash.h2Options", "");
        run("h2", dir, List.of("--store-url", "jdbc:h2:file:" + dir.resolve("data").resolve("muster") + options),
                Integer.getInteger("muster.crash.kills", 20));
    }

    @Test
    void coordinatorKilledRepeatedly_onPostgres_losesAndDoublesNothing(@TempDir Path dir) throws Exception {
        run("postgresql", dir, List.of("--store-url", TestDatabases.newPostgres()),
                Integer.getInteger("muster.crash.pgKills", 10));
    }

    private void run(String store, Path dir, List<String> storeArgs, int kills) throws Exception {
        long seed = Long.getLong("muster.crash.seed", new SecureRandom().nextLong());
        System.out.printf("crash suite %s: seed %d (rerun with -Dmuster.crash.seed=%d)%n", store, seed, seed);
        Random random = new Random(seed);
        int jobsPerKill = Integer.getInteger("muster.crash.jobsPerKill", 12);
        int batchesPerKill = Math.max(1, jobsPerKill / BATCH);
        long started = System.nanoTime();

        try (CoordinatorProcess coordinator = new CoordinatorProcess(dir, storeArgs)) {
            coordinator.start();
            List<WorkerLoop> loops = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 1; i <= 6; i++) {
                WorkerClient client = new WorkerClient(coordinator.base(), Keys.generate());
                client.register("volunteer-" + i, Capabilities.of(2, 1024), "crash-test", 8);
                WorkerLoop loop = new WorkerLoop(client, new CardGameHandler(), BATCH, Duration.ofMillis(200),
                        Duration.ofMillis(500));
                Thread t = new Thread(loop, "worker-" + i);
                t.setDaemon(true);
                loops.add(loop);
                threads.add(t);
                t.start();
            }
            Submitter submitter = new Submitter(coordinator, seed, batchesPerKill * (kills + 1));
            Thread submitting = new Thread(submitter, "submitter");
            submitting.setDaemon(true);
            submitting.start();

            // Workers pinned this key on first contact; a new key after a restart would strand them.
            String ticketKey = coordinator.call("GET", "coordinator/key", null).body().get("publicKey").asText();
            Set<String> seenAccepted = new LinkedHashSet<>();
            List<String> doubled = new ArrayList<>();
            Set<String> missing = new LinkedHashSet<>();
            try {
                for (int k = 0; k < kills; k++) {
                    submitter.permits.release(batchesPerKill);
                    CoordinatorProcess.pause(random.nextInt(1200)); // chaos timing: when the kill lands
                    try {
                        seenAccepted.addAll(acceptedJobs(coordinator));
                    } catch (IOException e) {
                        // the listing failed; this kill checks nothing more than the others do
                    }
                    coordinator.kill();
                    coordinator.start();
                    assertEquals(ticketKey, coordinator.call("GET", "coordinator/key", null).body().get("publicKey")
                            .asText(), "the ticket-signing key survives the restart");
                    Set<String> acceptedNow = acceptedJobs(coordinator);
                    for (String id : seenAccepted) {
                        if (!acceptedNow.contains(id) && !doubled.contains(id)) {
                            doubled.add(id);
                        }
                    }
                }
                submitter.permits.release(batchesPerKill);
                submitting.join(Duration.ofSeconds(120).toMillis());
                assertTrue(!submitting.isAlive(), "the submitter finished");
                if (submitter.failure.get() != null) {
                    throw new AssertionError("submitter failed", submitter.failure.get());
                }

                // Every acknowledged job ends accepted (a lease whose answer a kill swallowed expires
                // first), unless the store lost it: those are counted, not waited for.
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (true) {
                    Set<String> open = new LinkedHashSet<>(submitter.ids());
                    open.removeAll(acceptedJobs(coordinator));
                    open.removeAll(missing);
                    for (String id : open) {
                        if (coordinator.call("GET", "jobs/" + id, null).status() == 404) {
                            missing.add(id);
                        }
                    }
                    open.removeAll(missing);
                    if (open.isEmpty()) {
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("acknowledged jobs not accepted within 120 s: " + open + "; log:\n"
                                + coordinator.logTail());
                    }
                    CoordinatorProcess.pause(200);
                }
            } finally {
                loops.forEach(WorkerLoop::stop);
                threads.forEach(Thread::interrupt);
                submitting.interrupt();
            }

            int lost = 0;
            List<String> reuses = new ArrayList<>(submitter.reuses);
            double expectedCredit = 0;
            for (Acknowledged a : submitter.acknowledged) {
                CoordinatorProcess.Reply r = coordinator.call("GET", "jobs/" + a.id(), null);
                if (r.status() == 404) {
                    lost++;
                    continue;
                }
                assertEquals(200, r.status(), String.valueOf(r.body()));
                if (!r.body().get("payloadDigest").asText().equals(a.payloadDigest())
                        || r.body().get("seed").asLong() != a.seed()
                        || !r.body().get("digest").asText().equals(a.digest())) {
                    // The acknowledged job is gone, and its id names another.
                    lost++;
                    reuses.add("job " + a.id() + " acknowledged as " + a + " is now " + r.body());
                    continue;
                }
                if (!r.body().get("state").asText().equals("ACCEPTED")) {
                    lost++;
                }
                expectedCredit += 2 * a.creditPerReplica();
            }
            JsonNode pool = coordinator.get("pool").get("jobs");
            double credit = 0;
            long results = 0;
            for (JsonNode entry : coordinator.get("leaderboard?scope=owner&limit=100").get("entries")) {
                credit += entry.get("credit").asDouble();
                results += entry.get("results").asLong();
            }
            long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
            System.out.printf("crash suite %s: kills=%d jobs=%d lost=%d doubled=%d reused=%d accepted=%d credit=%.2f"
                            + " expected=%.2f credited-results=%d seed=%d time=%ds%n", store, coordinator.kills(),
                    submitter.acknowledged.size(), lost, doubled.size(), reuses.size(), pool.get("ACCEPTED").asLong(), credit,
                    expectedCredit, results, seed, seconds);

            assertEquals(kills, coordinator.kills());
            assertEquals(0, lost, "acknowledged jobs lost");
            assertEquals(List.of(), doubled, "jobs seen ACCEPTED before a kill and not after it");
            assertEquals(List.of(), reuses, "acknowledged ids that named another job");
            assertEquals(submitter.acknowledged.size(), pool.get("ACCEPTED").asLong(),
                    "the pool holds exactly the acknowledged jobs, all accepted");
            assertEquals(2L * submitter.acknowledged.size(), results, "two credited replicas per job, once each");
            assertEquals(expectedCredit, credit, 1e-6, "credit equals the accepted replicas' credit");
        }
    }

    /** States of the test submitter's jobs: the ids of those ACCEPTED. */
    private static Set<String> acceptedJobs(CoordinatorProcess coordinator) throws IOException {
        Set<String> accepted = new LinkedHashSet<>();
        String after = null;
        while (true) {
            JsonNode page = coordinator.get("jobs?state=accepted&limit=1000" + (after == null ? "" : "&after=" + after));
            for (JsonNode j : page.get("jobs")) {
                accepted.add(j.get("id").asText());
            }
            if (page.get("jobs").size() < 1000) {
                return accepted;
            }
            after = page.get("next").asText();
        }
    }

    /** What an acknowledged submission promised: the job's spec, and the credit one replica earns. */
    private record Acknowledged(String id, String idempotencyKey, long seed, String payloadDigest, String digest,
                                double creditPerReplica) {}

    /**
     * Submits batches of card games when given a permit, each with idempotency keys, and repeats a
     * batch until it is acknowledged: a batch a kill interrupted may or may not have been stored,
     * and the keys make the repeat answer with the same jobs if it was.
     */
    private static final class Submitter implements Runnable {
        final Semaphore permits = new Semaphore(0);
        final Queue<Acknowledged> acknowledged = new ConcurrentLinkedQueue<>();
        final List<String> reuses = new java.util.concurrent.CopyOnWriteArrayList<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final CoordinatorProcess coordinator;
        private final long seed;
        private final int batches;

        Submitter(CoordinatorProcess coordinator, long seed, int batches) {
            this.coordinator = coordinator;
            this.seed = seed;
            this.batches = batches;
        }

        /** @return the ids acknowledged so far */
        Set<String> ids() {
            Set<String> ids = new LinkedHashSet<>();
            acknowledged.forEach(a -> ids.add(a.id()));
            return ids;
        }

        @Override
        public void run() {
            try {
                for (int b = 0; b < batches; b++) {
                    permits.acquire();
                    submit(Demo.games((long) b * BATCH, BATCH), b);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                failure.set(t);
            }
        }

        private void submit(List<JobSpec> games, int batch) throws IOException {
            List<Map<String, Object>> jobs = new ArrayList<>();
            for (int i = 0; i < games.size(); i++) {
                JobSpec s = games.get(i);
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("type", s.type());
                j.put("payload", Base64.getEncoder().encodeToString(s.payload()));
                j.put("mediaType", s.mediaType());
                j.put("seed", s.seed());
                // A lease whose answer a kill swallowed comes back after this, not after 10 minutes.
                j.put("timeout", "PT8S");
                j.put("maxAttempts", 50);
                j.put("idempotencyKey", "crash-" + seed + "-" + batch + "-" + i);
                jobs.add(j);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (true) {
                try {
                    CoordinatorProcess.Reply r = coordinator.call("POST", "jobs", Map.of("jobs", jobs));
                    if (r.status() == 201) {
                        record(games, jobs, r.body().get("jobs"));
                        return;
                    }
                    if (r.status() < 500) {
                        throw new AssertionError("submission refused: " + r.status() + " " + r.body());
                    }
                } catch (IOException e) {
                    // killed before it answered: not acknowledged, so submitted again
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("batch " + batch + " not acknowledged within 120 s");
                }
                CoordinatorProcess.pause(50); // polling until the coordinator answers again
            }
        }

        private void record(List<JobSpec> games, List<Map<String, Object>> forms, JsonNode answered) {
            Map<String, String> keyOfId = new HashMap<>();
            acknowledged.forEach(a -> keyOfId.put(a.id(), a.idempotencyKey()));
            for (int i = 0; i < games.size(); i++) {
                JobSpec s = games.get(i);
                JsonNode job = answered.get(i);
                String id = job.get("id").asText();
                String key = (String) forms.get(i).get("idempotencyKey");
                String payloadDigest = Digests.sha256Hex(s.payload());
                String earlier = keyOfId.get(id);
                if ((earlier != null && !earlier.equals(key)) || !job.get("payloadDigest").asText().equals(payloadDigest)
                        || job.get("seed").asLong() != s.seed()) {
                    reuses.add("submission of " + key + " (seed " + s.seed() + ") answered " + job
                            + (earlier == null ? "" : "; that id was acknowledged before for " + earlier));
                }
                int turns = CardGame.play(Matchup.decode(s.payload()), s.seed()).turns();
                acknowledged.add(new Acknowledged(id, key, s.seed(), payloadDigest, job.get("digest").asText(),
                        1.0 + turns / 100.0));
            }
        }
    }
}
