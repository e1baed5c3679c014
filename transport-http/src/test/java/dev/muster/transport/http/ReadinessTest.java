package dev.muster.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.Coordinator;
import dev.muster.spi.StoreUnavailableException;
import dev.muster.spi.store.Store;
import dev.muster.spi.store.StoreHealth;
import dev.muster.store.memory.MemoryStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Liveness stays UP whatever the store does; readiness follows the store and says why in plain words. */
class ReadinessTest {
    private volatile boolean down;

    /** A memory store that can be switched off: then every call throws and its health says so. */
    private Store switchable(Store target) {
        return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("checkHealth")) {
                        return down ? new StoreHealth(false, "the store's database is unavailable", 1)
                                : new StoreHealth(true, null, down ? 1 : 0);
                    }
                    if (down && !method.getName().equals("close")) {
                        throw new StoreUnavailableException("the store's database is unavailable, so it could not "
                                + "submit jobs; nothing was changed, try again later", null);
                    }
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private HttpFixture fixture() {
        Coordinator c = Coordinator.builder().store(switchable(new MemoryStore()))
                .trustPolicy("quorum", Map.of("replicas", "2")).validator(new TestValidator())
                .housekeepingInterval(Duration.ZERO)
                .transport("http", Map.of("port", "0", "apiKeys", "deck-lab:submit+read:"
                        + ApiKeys.hash(HttpFixture.SUBMITTER_KEY)))
                .build();
        c.start();
        return new HttpFixture(c);
    }

    @Test
    void readiness_whenTheStoreIsAway_is503NotReady_whileLivenessStaysUp() {
        try (HttpFixture f = fixture()) {
            HttpFixture.Reply ready = f.call("GET", "health/ready", null);
            assertEquals(200, ready.status());
            assertEquals("UP", ready.body().get("status").asText());

            down = true;
            f.coordinator.runHousekeeping();
            HttpFixture.Reply notReady = f.call("GET", "health/ready", null);
            assertEquals(503, notReady.status());
            assertTrue(notReady.contentType().startsWith("application/problem+json"), notReady.contentType());
            assertEquals("/problems/not-ready", notReady.body().get("type").asText());
            assertEquals("the store's database is unavailable", notReady.body().get("detail").asText());
            HttpFixture.Reply live = f.call("GET", "health", null);
            assertEquals(200, live.status());
            assertEquals("UP", live.body().get("status").asText());
            HttpFixture.Reply submit = f.submit(HttpFixture.SUBMITTER_KEY, HttpFixture.echoJobs(1, 1));
            assertEquals(503, submit.status());
            assertEquals("/problems/store-unavailable", submit.body().get("type").asText());

            down = false;
            f.coordinator.runHousekeeping();
            assertEquals(200, f.call("GET", "health/ready", null).status());
            assertEquals(201, f.submit(HttpFixture.SUBMITTER_KEY, HttpFixture.echoJobs(1, 1)).status());
        }
    }

    @Test
    void health_onOtherPathsOrMethods_isAProblem() {
        try (HttpFixture f = fixture()) {
            HttpFixture.Reply unknown = f.call("GET", "health/live/now", null);
            assertEquals(404, unknown.status());
            assertEquals("/problems/not-found", unknown.body().get("type").asText());
            HttpFixture.Reply post = f.call("POST", "health/ready", null);
            assertEquals(405, post.status());
            assertEquals("/problems/method-not-allowed", post.body().get("type").asText());
        }
    }
}
