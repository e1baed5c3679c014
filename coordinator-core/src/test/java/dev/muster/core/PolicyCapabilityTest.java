package dev.muster.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.policy.AllowlistPolicy;
import dev.muster.core.policy.QuorumPolicy;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.Job;
import dev.muster.spi.JobSpec;
import dev.muster.spi.Keys;
import dev.muster.spi.Registration;
import dev.muster.spi.UnknownWorkerException;
import dev.muster.spi.WorkerId;
import dev.muster.spi.policy.Allowlist;
import dev.muster.spi.policy.Decision;
import dev.muster.spi.policy.StoredResult;
import dev.muster.spi.policy.TrustPolicy;
import dev.muster.spi.testkit.SigningWorker;
import dev.muster.store.memory.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The coordinator reaches a policy's allowlist through the SPI capability, not by its class, and
 * verifies worker signatures for transports with the keys it keeps.
 */
class PolicyCapabilityTest {
    /** Wraps another policy, as a decorator would; only the capability says it keeps a list. */
    private record Wrapping(TrustPolicy inner) implements TrustPolicy {
        @Override
        public String name() {
            return "wrapping";
        }

        @Override
        public void admit(Registration registration, WorkerId id) {
            inner.admit(registration, id);
        }

        @Override
        public int initialReplicas(JobSpec spec) {
            return inner.initialReplicas(spec);
        }

        @Override
        public boolean distinctOwners() {
            return inner.distinctOwners();
        }

        @Override
        public Decision decide(Job job, List<StoredResult> results) {
            return inner.decide(job, results);
        }

        @Override
        public Optional<Allowlist> allowlist() {
            return inner.allowlist();
        }
    }

    private static Coordinator started(TrustPolicy policy) {
        Coordinator c = Coordinator.builder().store(new MemoryStore()).trustPolicy(policy)
                .validator(new EchoValidator()).housekeepingInterval(Duration.ZERO).build();
        c.start();
        return c;
    }

    @Test
    void allowAndRevoke_reachTheListOfAWrappedPolicy() {
        AllowlistPolicy list = new AllowlistPolicy(List.of());
        try (Coordinator c = started(new Wrapping(list))) {
            SigningWorker w = new SigningWorker(c, "alice");
            assertTrue(c.allow(w.keys().getPublic()));
            assertTrue(list.isAllowed(w.id()));
            w.register();
            assertTrue(c.revoke(w.id()));
            assertFalse(list.isAllowed(w.id()));
        }
    }

    @Test
    void aPolicyWithoutAList_refusesAllow() {
        try (Coordinator c = started(new QuorumPolicy(2, 2, 4, false))) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class,
                    () -> c.allow(Keys.generate().getPublic()));
            assertEquals("trust policy 'quorum' keeps no allowlist", e.getMessage());
        }
    }

    @Test
    void verifySignature_checksAgainstTheRegisteredKey() {
        try (Coordinator c = started(new QuorumPolicy(1, 1, 1, false))) {
            SigningWorker w = new SigningWorker(c, "alice");
            byte[] message = "GET /v1/workers/me".getBytes(StandardCharsets.UTF_8);
            byte[] signature = Keys.sign(w.keys().getPrivate(), message);
            assertThrows(UnknownWorkerException.class, () -> c.verifySignature(w.id(), message, signature),
                    "not yet registered");
            w.register();
            assertTrue(c.verifySignature(w.id(), message, signature));
            byte[] tampered = message.clone();
            tampered[0] ^= 1;
            assertFalse(c.verifySignature(w.id(), tampered, signature));
            assertFalse(c.verifySignature(w.id(), message, new byte[0]), "a signature of the wrong length");
            SigningWorker other = new SigningWorker(c, "bob");
            other.register();
            assertFalse(c.verifySignature(other.id(), message, signature), "another worker's key");
        }
    }
}
