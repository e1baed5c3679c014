package dev.muster.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone coordinator's logs: JSON lines on request, and an access log beside its data. */
class StandaloneLoggingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> jsonLines(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("{")) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    @Test
    void withLogJson_theLogIsJsonLines_andEveryRequestIsInTheAccessLog(@TempDir Path dir) throws Exception {
        Path accessLog = dir.resolve("data").resolve("access.log");
        try (CoordinatorProcess coordinator = new CoordinatorProcess(dir, List.of("--log-json"))) {
            coordinator.start();
            assertEquals(404, coordinator.call("GET", "jobs/999999", null).status());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!Files.exists(accessLog) || jsonLines(accessLog).stream().noneMatch(n -> n.path("formattedMessage")
                    .asText().contains("/v1/jobs/999999"))) {
                assertTrue(System.nanoTime() < deadline, "the request reached the access log within 10 s; files: "
                        + Files.list(dir.resolve("data")).toList() + "; access log: "
                        + (Files.exists(accessLog) ? Files.readString(accessLog) : "none") + "; coordinator log:\n"
                        + coordinator.logTail());
                CoordinatorProcess.pause(50);
            }
        }
        List<JsonNode> log = jsonLines(dir.resolve("coordinator.log"));
        JsonNode started = log.stream().filter(n -> n.path("formattedMessage").asText()
                        .startsWith("coordinator started"))
                .findFirst().orElseThrow(() -> new AssertionError("no JSON line says the coordinator started"));
        assertEquals("INFO", started.path("level").asText());
        assertTrue(started.path("timestamp").asLong() > 0, started.toString());
        assertTrue(log.stream().anyMatch(n -> n.path("formattedMessage").asText().startsWith("coordinator stopped")),
                "the stop is logged too");

        List<JsonNode> access = jsonLines(accessLog);
        assertTrue(access.stream().anyMatch(n -> n.path("formattedMessage").asText()
                .matches("127\\.0\\.0\\.1 \"GET /v1/health\" 200 \\d+ ms")), access.toString());
        assertTrue(access.stream().anyMatch(n -> n.path("formattedMessage").asText()
                .startsWith("127.0.0.1 \"GET /v1/jobs/999999\" 404")), "no access line for the unknown job: " + access);
    }
}
