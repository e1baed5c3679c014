package dev.muster.transport.http;

import dev.muster.worker.WorkerClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.Coordinator;
import dev.muster.spi.Capabilities;
import dev.muster.spi.Keys;
import dev.muster.spi.MusterException;
import dev.muster.store.memory.MemoryStore;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Owner accounts over HTTP: admins create, list and ban them; volunteers sign up where allowed. */
class OwnersHttpTest {
    private static HttpFixture open(boolean signUp, int perAddress) {
        Coordinator c = Coordinator.builder().store(new MemoryStore()).trustPolicy("credibility", Map.of())
                .ownerSignUp(signUp).validator(new TestValidator()).housekeepingInterval(Duration.ZERO)
                .transport("http", Map.of("port", "0", "apiKeys", "deck-lab:submit+read:"
                        + ApiKeys.hash(HttpFixture.SUBMITTER_KEY) + ",ops:admin:" + ApiKeys.hash(HttpFixture.ADMIN_KEY),
                        "signUpsPerAddressPerHour", String.valueOf(perAddress)))
                .build();
        c.start();
        return new HttpFixture(c);
    }

    private static HttpFixture.Reply admin(HttpFixture f, String method, String path, String body) {
        return f.call(method, path, body, "Authorization", "Bearer " + HttpFixture.ADMIN_KEY, "Content-Type",
                "application/json");
    }

    @Test
    void adminsCreateListReadAndBanAccounts_andSecretsAreShownOnce() {
        try (HttpFixture f = open(false, 3)) {
            HttpFixture.Reply created = admin(f, "POST", "admin/owners", "{\"name\":\"alice\"}");
            assertEquals(201, created.status());
            String secret = created.body().get("secret").asText();
            assertTrue(secret.startsWith("mo_"));
            assertEquals(409, admin(f, "POST", "admin/owners", "{\"name\":\"alice\"}").status());
            admin(f, "POST", "admin/owners", "{\"name\":\"bob\"}");

            HttpFixture.Reply one = admin(f, "GET", "admin/owners/alice", null);
            assertEquals(200, one.status());
            assertEquals("ACTIVE", one.body().get("state").asText());
            assertFalse(one.body().toString().contains(secret));
            assertFalse(one.body().has("secretHash"));
            HttpFixture.Reply page = admin(f, "GET", "admin/owners?limit=1", null);
            assertEquals("alice", page.body().get("owners").get(0).get("name").asText());
            assertEquals("alice", page.body().get("next").asText());
            HttpFixture.Reply last = admin(f, "GET", "admin/owners?after=alice&limit=5", null);
            assertEquals("bob", last.body().get("owners").get(0).get("name").asText());
            assertFalse(last.body().has("next"), "no next on the last page");
            assertEquals(404, admin(f, "GET", "admin/owners/nobody", null).status());
            assertEquals(403, f.call("GET", "admin/owners", null, "Authorization",
                    "Bearer " + HttpFixture.SUBMITTER_KEY).status(), "accounts are for admins");

            WorkerClient w = new WorkerClient(f.base, Keys.generate());
            w.register("alice", secret, Capabilities.of(2, 1024), "b", 4);
            HttpFixture.Reply banned = admin(f, "POST", "admin/owners/alice/ban", "{\"reason\":\"Sybil farm\"}");
            assertEquals(200, banned.status());
            assertEquals("BANNED", banned.body().get("state").asText());
            HttpFixture.Reply worker = admin(f, "GET", "admin/workers/" + w.id().value(), null);
            assertEquals("BANNED", worker.body().get("state").asText());
        }
    }

    @Test
    void registration_withAWrongSecret_isAProblemThatLeaksNothing_andNoSecretIsLogged() {
        StderrCapture log = StderrCapture.start();
        try (HttpFixture f = open(false, 3)) {
            String secret = admin(f, "POST", "admin/owners", "{\"name\":\"alice\"}").body().get("secret").asText();
            new WorkerClient(f.base, Keys.generate()).register("alice", secret, Capabilities.of(2, 1024), "b", 4);
            WorkerClient w = new WorkerClient(f.base, Keys.generate());
            MusterException wrong = assertThrows(MusterException.class,
                    () -> w.register("alice", secret + "x", Capabilities.of(2, 1024), "b", 4));
            assertTrue(wrong.getMessage().contains("403"), wrong.getMessage());
            assertFalse(wrong.getMessage().contains(secret));
            MusterException none = assertThrows(MusterException.class,
                    () -> w.register("alice", Capabilities.of(2, 1024), "b", 4));
            assertTrue(none.getMessage().contains("registration-refused"), none.getMessage());
            admin(f, "POST", "admin/owners/alice/ban", "{\"reason\":\"test\"}");
            assertTrue(log.logged().contains("owner 'alice' banned"), "the log was captured");
            assertFalse(log.logged().contains(secret.substring(3)), "a secret reached the log");
            log.assertNoErrors();
        } finally {
            log.stop();
        }
    }

    @Test
    void signUp_isClosedUnlessAllowed_thenLimitedPerAddressEachHour() {
        try (HttpFixture closed = open(false, 3)) {
            HttpFixture.Reply r = closed.call("POST", "owners", "{\"name\":\"alice\"}", "Content-Type",
                    "application/json");
            assertEquals(403, r.status());
            assertEquals("application/problem+json", r.contentType());
        }
        try (HttpFixture f = open(true, 2)) {
            for (String name : new String[] {"alice", "bob"}) {
                HttpFixture.Reply r = f.call("POST", "owners", "{\"name\":\"" + name + "\"}", "Content-Type",
                        "application/json");
                assertEquals(201, r.status(), String.valueOf(r.body()));
            }
            HttpFixture.Reply third = f.call("POST", "owners", "{\"name\":\"carol\"}", "Content-Type",
                    "application/json");
            assertEquals(429, third.status());
            assertTrue(third.body().get("retryAfter").asLong() > 0);
            assertNull(admin(f, "GET", "admin/owners/carol", null).body().get("secret"));
            assertEquals(404, admin(f, "GET", "admin/owners/carol", null).status(), "the refused sign-up made nothing");
            HttpFixture.Reply bad = f.call("POST", "owners", "{\"nom\":\"dave\"}", "Content-Type", "application/json");
            assertEquals(400, bad.status(), "a malformed request is refused before it spends quota");
        }
    }
}
