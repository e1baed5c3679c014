package dev.muster.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.muster.spi.Job;
import dev.muster.spi.JobQuery;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.Registration;
import dev.muster.spi.WorkerId;
import dev.muster.spi.policy.Decision;
import dev.muster.spi.policy.StoredResult;
import dev.muster.spi.policy.TrustPolicy;
import dev.muster.spi.store.SpotCheck;
import dev.muster.spi.testkit.SettableClock;
import dev.muster.spi.testkit.SigningWorker;
import dev.muster.store.memory.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which accepted jobs become spot-checks: only those whose answer two owners agreed on, since a
 * wrong known answer bans the honest keys that answer it right.
 */
class SpotCheckSourcesTest {
    private static final long SEED = 20261202L;

    /** Odd seeds are decided by one result, as a policy that trusts one mature key would; even ones by two. */
    private static final class OneOrTwo implements TrustPolicy {
        @Override
        public String name() {
            return "one-or-two";
        }

        @Override
        public void admit(Registration registration, WorkerId id) {
        }

        @Override
        public int initialReplicas(JobSpec spec) {
            return 1;
        }

        @Override
        public boolean distinctOwners() {
            return true;
        }

        @Override
        public Decision decide(Job job, List<StoredResult> results) {
            List<StoredResult> valid = results.stream().filter(StoredResult::valid).toList();
            int needed = job.spec().seed() % 2 == 1 ? 1 : 2;
            if (valid.size() >= needed && valid.stream().map(StoredResult::resultDigest).distinct().count() == 1) {
                return new Decision.Accept(valid.get(0).resultDigest(), 1.0);
            }
            return valid.size() < job.replicasWanted() ? new Decision.Wait() : new Decision.AddReplicas(1, "short");
        }

        @Override
        public double spotCheckRate() {
            return 0.5; // every job that qualifies is repeated
        }
    }

    private Coordinator coordinator;
    private int owners;

    @BeforeEach
    void open() {
        System.out.println("seed " + SEED);
        coordinator = Coordinator.builder().clock(new SettableClock(Instant.parse("2026-03-01T00:00:00Z")))
                .store(new MemoryStore()).trustPolicy(new OneOrTwo()).random(new Random(SEED))
                .validator(new EchoValidator()).housekeepingInterval(Duration.ZERO).build();
        coordinator.start();
    }

    @AfterEach
    void stop() {
        coordinator.stop();
    }

    private Job submit(long seed) {
        return coordinator.submit(List.of(JobSpec.builder("echo", "deck A vs deck B".getBytes(StandardCharsets.UTF_8))
                .seed(seed).build())).get(0);
    }

    private void answer(int times) {
        for (int i = 0; i < times; i++) {
            SigningWorker w = SigningWorker.registered(coordinator, "owner-" + ++owners);
            w.report(SigningWorker.honestAnswers(w.lease(1).tickets()));
        }
    }

    private List<Long> spotCheckSeeds() {
        return coordinator.jobs(new JobQuery(SpotCheck.SUBMITTER, null, null, 0, 10)).stream()
                .map(j -> j.spec().seed()).toList();
    }

    @Test
    void aJobOneOwnerDecided_isNeverAKnownAnswer_oneTwoOwnersAgreedOn_is() {
        Job alone = submit(1);
        answer(1);
        assertEquals(JobState.ACCEPTED, coordinator.job(alone.id()).orElseThrow().state());
        assertEquals(List.of(), spotCheckSeeds(), "one owner's word is as wrong as its rare errors");

        Job agreed = submit(2);
        answer(2);
        assertEquals(JobState.ACCEPTED, coordinator.job(agreed.id()).orElseThrow().state());
        assertEquals(List.of(2L), spotCheckSeeds(), "two owners agreed: repeated, at most once");
    }
}
