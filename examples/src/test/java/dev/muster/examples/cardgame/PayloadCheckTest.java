package dev.muster.examples.cardgame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muster.core.Coordinator;
import dev.muster.spi.Digests;
import dev.muster.store.memory.MemoryStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A card game whose payload is no match-up is refused when it is submitted, not run and failed later. */
class PayloadCheckTest {
    private static final String KEY = "payload-check-key";

    private static String job(String payload, int seed) {
        return "{\"type\":\"card-game\",\"payload\":\"" + Base64.getEncoder().encodeToString(payload
                .getBytes(StandardCharsets.UTF_8)) + "\",\"seed\":" + seed + "}";
    }

    @Test
    void aBadPayload_isA400AtSubmission_andTheBatchAddsNothing() throws Exception {
        Coordinator c = Coordinator.builder().store(new MemoryStore()).trustPolicy("quorum", Map.of("replicas", "1"))
                .validator(new CardGameValidator()).housekeepingInterval(Duration.ZERO)
                .transport("http", Map.of("port", "0", "apiKeys", "lab:submit+read:"
                        + Digests.sha256Hex(KEY.getBytes(StandardCharsets.UTF_8)))).build();
        c.start();
        try (c) {
            Matchup good = new Matchup("Midrange", Decks.samples().get("Midrange"), "Control",
                    Decks.samples().get("Control"));
            String body = "{\"jobs\":[" + job(new String(good.encode(), StandardCharsets.UTF_8), 1) + ","
                    + job("not a deck list", 2) + "]}";
            URI jobs = c.transports().get(0).address().resolve("jobs");
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(jobs)
                    .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            JsonNode problem = new ObjectMapper().readTree(r.body());
            assertTrue(problem.get("detail").asText().contains("jobs[1] payload is refused by the card-game validator:"
                    + " not a match-up"), problem.toString());
            assertEquals(0, c.summary().jobs().values().stream().mapToLong(Long::longValue).sum(),
                    "the good job of the refused batch was not kept either");
        }
    }
}
