package dev.muster.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.Coordinator;
import dev.muster.core.Instrumentation;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.transport.Exposition;
import dev.muster.store.memory.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What an embedder exposes beside the API ({@code /metrics}), served to anyone, rendered per request. */
class ExpositionTest {
    @Test
    void anExposition_isServedOutsideTheApi_renderedPerRequest_andOnlyToGet() {
        AtomicInteger scrapes = new AtomicInteger();
        Instrumentation exposing = new Instrumentation() {
            @Override
            public List<Exposition> expositions() {
                return List.of(new Exposition("metrics", "text/plain; version=0.0.4; charset=utf-8",
                        () -> ("scrapes " + scrapes.incrementAndGet() + "\n").getBytes(StandardCharsets.UTF_8)));
            }
        };
        Coordinator c = Coordinator.builder().store(new MemoryStore()).trustPolicy("quorum", Map.of())
                .validator(new TestValidator()).housekeepingInterval(Duration.ZERO).instrumentation(exposing)
                .transport("http", Map.of("port", "0")).build();
        c.start();
        try (HttpFixture f = new HttpFixture(c)) {
            HttpFixture.Reply first = f.call("GET", "/metrics", null);
            assertEquals(200, first.status());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", first.contentType());
            assertEquals("scrapes 1\n", new String(first.raw().body(), StandardCharsets.UTF_8));
            assertEquals("scrapes 2\n", new String(f.call("GET", "/metrics", null).raw().body(),
                    StandardCharsets.UTF_8));

            HttpFixture.Reply post = f.call("POST", "/metrics", "{}");
            assertEquals(405, post.status());
            assertTrue(post.contentType().startsWith("application/problem+json"), post.contentType());
            HttpFixture.Reply elsewhere = f.call("GET", "/metricsx", null);
            assertEquals(404, elsewhere.status());
            assertTrue(elsewhere.body().get("detail").asText().contains("the API is under /v1/"));
            assertEquals(404, f.call("GET", "/v1/metrics", null).status(), "not inside the API");
        }
    }

    @Test
    void anExpositionPath_isOneSafeSegment_neverTheApisOwn() {
        for (String bad : List.of("v1", "", "Metrics", "a/b", "..", "-x", "x".repeat(65))) {
            assertThrows(InvalidRequestException.class, () -> new Exposition(bad, "text/plain", () -> new byte[0]),
                    bad);
        }
    }
}
