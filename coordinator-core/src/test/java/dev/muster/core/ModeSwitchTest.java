package dev.muster.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.policy.AllowlistPolicy;
import dev.muster.core.policy.QuorumPolicy;
import dev.muster.spi.ConfigurationException;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.LeaderboardScope;
import dev.muster.spi.PluginException;
import dev.muster.spi.RegistrationRefusedException;
import dev.muster.spi.ReportStatus;
import dev.muster.spi.Ticket;
import dev.muster.spi.testkit.SettableClock;
import dev.muster.spi.testkit.SigningWorker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A trusted pool and an open quorum pool are the same embedding code with different properties:
 * the store, the trust policy and the validator are all found through ServiceLoader by name.
 */
class ModeSwitchTest {

    /** What an embedding service does, knowing nothing of the pool's trust model. */
    private static final class EmbeddingService {
        final Coordinator coordinator;

        EmbeddingService(Map<String, String> properties) {
            coordinator = Coordinator.builder().configure(properties)
                    .clock(new SettableClock(Instant.parse("2026-05-01T00:00:00Z"))).build();
            coordinator.start();
        }

        /** Runs 20 jobs to completion with four workers; returns how many reports were accepted or recorded. */
        int runBatch(List<SigningWorker> pool) {
            List<JobSpec> specs = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                specs.add(JobSpec.builder("echo", ("game " + i).getBytes(StandardCharsets.UTF_8)).seed(i).build());
            }
            coordinator.submit(specs);
            int reports = 0;
            boolean progress = true;
            while (progress) {
                progress = false;
                for (SigningWorker w : pool) {
                    for (Ticket t : w.lease(5).tickets()) {
                        ReportStatus s = w.report(SigningWorker.answer(t, "result of " + t.seed())).status();
                        assertTrue(s == ReportStatus.ACCEPTED || s == ReportStatus.RECORDED, s.toString());
                        reports++;
                        progress = true;
                    }
                }
            }
            return reports;
        }
    }

    private static List<SigningWorker> workers(Coordinator c) {
        List<SigningWorker> pool = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pool.add(new SigningWorker(c, "owner-" + i));
        }
        return pool;
    }

    @Test
    void trustedAndQuorumPools_differOnlyInProperties() {
        Map<String, String> trusted = new HashMap<>(Map.of("store", "memory", "trust", "allowlist",
                "validators", "echo", "housekeeping.interval", "0s"));
        // Keys are generated first so the allowlist can name them, as an operator's file would.
        List<java.security.KeyPair> keys = new ArrayList<>();
        StringBuilder allow = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            keys.add(dev.muster.spi.Keys.generate());
            allow.append(i == 0 ? "" : ",").append(Base64.getEncoder().encodeToString(keys.get(i).getPublic().getEncoded()));
        }
        trusted.put("trust.keys", allow.toString());

        EmbeddingService a = new EmbeddingService(trusted);
        assertInstanceOf(AllowlistPolicy.class, a.coordinator.trustPolicy());
        List<SigningWorker> poolA = withKeys(a.coordinator, keys);
        poolA.forEach(SigningWorker::register);
        assertThrows(RegistrationRefusedException.class, () -> new SigningWorker(a.coordinator, "stranger").register());
        assertEquals(20, a.runBatch(poolA), "one report decides each job");
        assertEquals(20L, a.coordinator.summary().jobs().get(JobState.ACCEPTED));
        a.coordinator.stop();

        Map<String, String> open = Map.of("store", "memory", "trust", "quorum", "trust.replicas", "2",
                "trust.agree", "2", "validators", "echo", "housekeeping.interval", "0s");
        EmbeddingService b = new EmbeddingService(open);
        assertInstanceOf(QuorumPolicy.class, b.coordinator.trustPolicy());
        List<SigningWorker> poolB = workers(b.coordinator);
        poolB.forEach(SigningWorker::register);
        assertEquals(40, b.runBatch(poolB), "two agreeing reports decide each job");
        assertEquals(20L, b.coordinator.summary().jobs().get(JobState.ACCEPTED));
        double credit = b.coordinator.leaderboard(LeaderboardScope.OWNER, null, 10).stream()
                .mapToDouble(e -> e.credit()).sum();
        assertEquals(40.0, credit, 1e-9);
        b.coordinator.stop();
    }

    private static List<SigningWorker> withKeys(Coordinator c, List<java.security.KeyPair> keys) {
        List<SigningWorker> pool = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            pool.add(new SigningWorker(c, "owner-" + i, keys.get(i)));
        }
        return pool;
    }

    @Test
    void configure_reportsUnknownNamesAndSettingsClearly() {
        PluginException noStore = assertThrows(PluginException.class, () -> Coordinator.builder()
                .configure(Map.of("store", "cassandra", "trust", "quorum", "validators", "echo")).build());
        assertTrue(noStore.getMessage().contains("'cassandra'") && noStore.getMessage().contains("memory"),
                noStore.getMessage());
        PluginException noPolicy = assertThrows(PluginException.class, () -> Coordinator.builder()
                .configure(Map.of("trust", "majority", "validators", "echo")).build());
        assertTrue(noPolicy.getMessage().contains("allowlist") && noPolicy.getMessage().contains("quorum"),
                noPolicy.getMessage());
        ConfigurationException unknown = assertThrows(ConfigurationException.class,
                () -> Coordinator.builder().configure(Map.of("heartbeat.intreval", "30s")));
        assertTrue(unknown.getMessage().contains("heartbeat.intreval"), unknown.getMessage());
        ConfigurationException badQuorum = assertThrows(ConfigurationException.class, () -> Coordinator.builder()
                .configure(Map.of("trust", "quorum", "trust.replicas", "2", "trust.agree", "3", "validators", "echo"))
                .build());
        assertTrue(badQuorum.getMessage().contains("trust.agree"), badQuorum.getMessage());
        ConfigurationException badDuration = assertThrows(ConfigurationException.class,
                () -> Coordinator.builder().configure(Map.of("offline.after", "soon")));
        assertTrue(badDuration.getMessage().contains("offline.after"), badDuration.getMessage());
        ConfigurationException order = assertThrows(ConfigurationException.class, () -> Coordinator.builder()
                .configure(Map.of("trust", "quorum", "validators", "echo", "heartbeat.interval", "60s",
                        "offline.after", "30s")).build());
        assertTrue(order.getMessage().contains("offlineAfter"), order.getMessage());
        ConfigurationException noTrust = assertThrows(ConfigurationException.class,
                () -> Coordinator.builder().validators("echo").build());
        assertTrue(noTrust.getMessage().contains("allowlist"), noTrust.getMessage());
        assertEquals(Duration.ofMillis(500), BuilderProperties.duration("x", "500ms"));
        assertEquals(Duration.ofMinutes(2), BuilderProperties.duration("x", "PT2M"));
    }
}
