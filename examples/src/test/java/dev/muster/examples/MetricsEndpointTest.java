package dev.muster.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muster.spi.JobState;
import dev.muster.spi.WorkerState;
import dev.muster.worker.WorkerLoop;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scrapes the standalone coordinator's {@code /metrics} while workers run games, and checks the
 * counters and gauges against the API's pool summary.
 */
class MetricsEndpointTest {
    private static final int JOBS = 40;
    private static final String TYPE = "card-game";
    private final HttpClient http = HttpClient.newHttpClient();

    /** One scrape: each sample's value by its name and labels as the exposition writes them. */
    private record Scrape(String contentType, Map<String, Double> samples) {
        double value(String sample) {
            Double v = samples.get(sample);
            if (v == null) {
                throw new AssertionError("no sample " + sample + " in the scrape; samples: " + samples.keySet());
            }
            return v;
        }
    }

    private Scrape scrape(CoordinatorProcess coordinator) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(coordinator.base().resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        Map<String, Double> samples = new HashMap<>();
        for (String line : r.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return new Scrape(r.headers().firstValue("Content-Type").orElse(""), samples);
    }

    /** Counters made at their first event, which this run has none of. */
    private static final Set<String> MADE_AT_FIRST_EVENT = Set.of("muster_jobs_failed_total",
            "muster_jobs_retracted_total", "muster_results_rejected_total", "muster_workers_banned_total");

    /** @return the metrics the Grafana dashboard in docs/ charts that the scrape does not hold */
    private static Set<String> unservedDashboardNames(Scrape scrape) throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Path.of("..", "docs", "grafana", "muster-coordinator.json")
                .toFile());
        Set<String> served = new HashSet<>();
        scrape.samples().keySet().forEach(k -> served.add(k.replaceAll("\\{.*", "")));
        Matcher names = Pattern.compile("\\b((?:muster|jvm)_[a-z_]+)\\{").matcher("");
        int charted = 0;
        Set<String> missing = new java.util.TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                names.reset(target.get("expr").asText());
                while (names.find()) {
                    charted++;
                    String name = names.group(1);
                    if (!served.contains(name) && !MADE_AT_FIRST_EVENT.contains(name)) {
                        missing.add(name);
                    }
                }
            }
        }
        assertTrue(charted > 20, charted + " metrics charted");
        return missing;
    }

    /** Whether every job and worker gauge and the lease gauge show what the pool summary says. */
    private static boolean agrees(JsonNode pool, Scrape scrape) {
        for (JobState s : JobState.values()) {
            if (state(pool.get("jobs"), s.name()) != scrape.value("muster_jobs{state=\"" + s + "\"}")) {
                return false;
            }
        }
        for (WorkerState s : WorkerState.values()) {
            if (state(pool.get("workers"), s.name()) != scrape.value("muster_workers{state=\"" + s + "\"}")) {
                return false;
            }
        }
        return pool.get("activeLeases").asDouble() == scrape.value("muster_leases_active");
    }

    private static double state(JsonNode counts, String state) {
        JsonNode n = counts.get(state);
        return n == null ? 0 : n.asDouble();
    }

    @Test
    void metrics_moveWithTheRun_andAgreeWithThePoolSummary(@TempDir Path dir) throws Exception {
        try (CoordinatorProcess coordinator = new CoordinatorProcess(dir, List.of())) {
            coordinator.start();
            assertEquals(JOBS, coordinator.submitGames(JOBS).size());

            Scrape before = scrape(coordinator);
            assertTrue(before.contentType().startsWith("text/plain; version=0.0.4"), before.contentType());
            assertEquals(JOBS, before.value("muster_jobs_submitted_total{type=\"" + TYPE + "\"}"));
            assertEquals(JOBS, before.value("muster_jobs{state=\"QUEUED\"}"));
            assertEquals(0, before.value("muster_lease_seconds_count"));

            List<WorkerLoop> loops = CardGameWorkers.start(coordinator.base(), "volunteer-1", "volunteer-2",
                    "volunteer-3");
            int midRun = 0;
            double lastCounted = 0;
            try {
                JsonNode pool = coordinator.get("pool");
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (state(pool.get("jobs"), "ACCEPTED") < JOBS) {
                    assertTrue(System.nanoTime() < deadline, "all games accepted within 60 s: " + pool);
                    Scrape during = scrape(coordinator);
                    pool = coordinator.get("pool");
                    // Listeners hear of an acceptance after it is stored, so the counter never runs
                    // ahead of the summary read after it, and it never goes back.
                    double counted = during.samples().getOrDefault("muster_jobs_accepted_total{type=\"" + TYPE
                            + "\"}", 0.0);
                    assertTrue(lastCounted <= counted && counted <= state(pool.get("jobs"), "ACCEPTED"),
                            lastCounted + " <= " + counted + " <= " + pool);
                    lastCounted = counted;
                    if (counted > 0 && counted < JOBS) {
                        midRun++;
                    }
                    CoordinatorProcess.pause(50);
                }
            } finally {
                loops.forEach(WorkerLoop::stop);
            }

            // The gauges reuse a summary for up to a second, and the stopped workers are leaving
            // meanwhile: scrape until the gauges agree with a summary read just before. Gauges by
            // type and tier appear at the first status read (kept two seconds) after the first job
            // or worker came, which may be during a scrape: so until every charted metric is served.
            JsonNode pool;
            Scrape after;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            do {
                CoordinatorProcess.pause(100);
                pool = coordinator.get("pool");
                after = scrape(coordinator);
                assertTrue(System.nanoTime() < deadline, "the gauges agree with /v1/pool, and every metric the"
                        + " dashboard charts is served, within 10 s: " + pool + " against " + after.samples()
                        + "; not served: " + unservedDashboardNames(after));
            } while (!agrees(pool, after) || !unservedDashboardNames(after).isEmpty());
            assertEquals(JOBS, after.value("muster_jobs{state=\"ACCEPTED\"}"));
            System.out.println("MetricsEndpointTest: " + midRun + " scrapes while games were being decided");
            assertEquals(JOBS, after.value("muster_jobs_accepted_total{type=\"" + TYPE + "\"}"));
            // Two replicas a game in the default open pool: every one reported and validated.
            assertEquals(2.0 * JOBS, after.value("muster_validation_seconds_count{type=\"" + TYPE
                    + "\",valid=\"true\"}"));
            assertTrue(after.value("muster_report_results_sum") >= 2 * JOBS);
            assertTrue(after.value("muster_lease_seconds_count") > before.value("muster_lease_seconds_count"));
            assertEquals(2.0 * JOBS, after.value("muster_lease_tickets_sum"));
            assertTrue(after.value("muster_store_calls_seconds_count{operation=\"lease\",outcome=\"ok\"}") > 0);
            assertTrue(after.samples().entrySet().stream().filter(e -> e.getKey()
                    .startsWith("jvm_memory_used_bytes{area=\"heap\"")).mapToDouble(Map.Entry::getValue).sum() > 0,
                    "the JVM's own meters are there too");
        }
    }
}
