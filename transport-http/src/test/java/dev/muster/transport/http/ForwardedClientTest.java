package dev.muster.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.Coordinator;
import dev.muster.spi.ConfigurationException;
import dev.muster.store.memory.MemoryStore;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Behind a reverse proxy, the limits kept per client address count the client the proxy names,
 * but only for a proxy the settings trust, and only the part of the header that proxy wrote.
 * Sign-ups, one per address and hour here, show which address a request counted against.
 */
class ForwardedClientTest {
    private static HttpFixture open(String trustedProxies) {
        Map<String, String> http = new HashMap<>(Map.of("port", "0", "signUpsPerAddressPerHour", "1",
                "accessLog", "true"));
        if (trustedProxies != null) {
            http.put("trustedProxies", trustedProxies);
        }
        Coordinator c = Coordinator.builder().store(new MemoryStore()).trustPolicy("credibility", Map.of())
                .ownerSignUp(true).validator(new TestValidator()).housekeepingInterval(Duration.ZERO)
                .transport("http", http).build();
        c.start();
        return new HttpFixture(c);
    }

    private static int signUp(HttpFixture f, String name, String forwardedFor) {
        return f.call("POST", "owners", "{\"name\":\"" + name + "\"}", "Content-Type", "application/json",
                "X-Forwarded-For", forwardedFor).status();
    }

    @Test
    void aTrustedProxy_hasItsClientsCountedApart_byTheAddressItAppended() {
        StderrCapture log = StderrCapture.start();
        try (HttpFixture f = open("127.0.0.1, 10.0.0.0/8")) {
            assertEquals(201, signUp(f, "alice", "203.0.113.1"));
            assertEquals(429, signUp(f, "bob", "203.0.113.1"), "the same client again");
            assertEquals(201, signUp(f, "carol", "203.0.113.2"), "another client behind the same proxy");
            assertEquals(429, signUp(f, "dave", "198.51.100.7, 203.0.113.2"),
                    "what the client wrote left of the proxy's entry is not believed");
            assertEquals(201, signUp(f, "erin", "203.0.113.3, 10.1.2.3"), "a chain of trusted proxies is walked");
            // An unreadable hop: nothing left of it can be believed, so the proxy itself counts as the client.
            assertEquals(201, signUp(f, "frank", "not-an-address, 127.0.0.1"));
            assertEquals(429, signUp(f, "grace", "garbage"), "counted against the proxy, like frank");
        } finally {
            log.stop();
        }
        assertTrue(log.logged().contains("203.0.113.1 \"POST /v1/owners\" 201"), log.logged());
        assertTrue(log.logged().contains("203.0.113.1 \"POST /v1/owners\" 429"), log.logged());
    }

    @Test
    void withoutATrustedProxy_theHeaderIsIgnored() {
        try (HttpFixture f = open(null)) {
            assertEquals(201, signUp(f, "alice", "203.0.113.1"));
            assertEquals(429, signUp(f, "bob", "203.0.113.2"), "every request counts against the peer, 127.0.0.1");
        }
    }

    @Test
    void aHop_isReadAsALiteralAddress_withOrWithoutAPort_andNeverLookedUp() throws Exception {
        assertEquals(InetAddress.getByName("203.0.113.7"), ClientAddress.parse("203.0.113.7:54321"));
        assertEquals(InetAddress.getByName("::1"), ClientAddress.parse("[::1]:8080"));
        assertEquals(InetAddress.getByName("::1"), ClientAddress.parse("[::1]"));
        assertEquals(InetAddress.getByName("2001:db8::5"), ClientAddress.parse("2001:db8::5"));
        assertEquals(InetAddress.getByName("10.0.0.1"), ClientAddress.parse("::ffff:10.0.0.1"),
                "an IPv4-mapped address is the IPv4 address");
        for (String notAnAddress : List.of("999.1.1.1", "1.2.3", "4294967295", "1.2.3.4.5", "localhost",
                "proxy.example.org", "", "unknown", "zz::1")) {
            assertNull(ClientAddress.parse(notAnAddress), notAnAddress);
        }
    }

    @Test
    void trustedProxies_mustBeAddressesOrNetworks() {
        for (String bad : List.of("proxy.example.org", "10.0.0.0/33", "10.0.0.0/x", "::1/129")) {
            assertThrows(ConfigurationException.class, () -> HttpSettings.from(Map.of("trustedProxies", bad)), bad);
        }
        assertEquals("::1, 192.168.0.0/16",
                HttpSettings.from(Map.of("trustedProxies", "::1, 192.168.0.0/16")).trustedProxies());
    }
}
