package dev.muster.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.policy.QuorumPolicy;
import dev.muster.spi.ConfigurationException;
import dev.muster.spi.CoordinatorEvent;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.OwnerAccount;
import dev.muster.spi.OwnerCredentials;
import dev.muster.spi.OwnerExistsException;
import dev.muster.spi.OwnerState;
import dev.muster.spi.RegistrationRefusedException;
import dev.muster.spi.UnknownOwnerException;
import dev.muster.spi.WorkerState;
import dev.muster.spi.testkit.SettableClock;
import dev.muster.spi.testkit.SigningWorker;
import dev.muster.store.memory.MemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Owner accounts: verified owners, sign-up, bans per owner, and the hourly limit on new keys. */
class OwnerAccountsTest {
    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T00:00:00Z"));
    private final List<CoordinatorEvent> events = new CopyOnWriteArrayList<>();
    private Coordinator coordinator;

    private Coordinator open(CoordinatorBuilder b) {
        coordinator = b.clock(clock).store(new MemoryStore()).validator(new EchoValidator()).listener(events::add)
                .housekeepingInterval(Duration.ZERO).build();
        coordinator.start();
        return coordinator;
    }

    private Coordinator verified() {
        return open(Coordinator.builder().trustPolicy(new QuorumPolicy(2, 2, 4, true)).ownerAccounts(true)
                .newKeysPerOwnerPerHour(2));
    }

    @AfterEach
    void stop() {
        if (coordinator != null) {
            coordinator.stop();
        }
    }

    @Test
    void verifiedOwners_registerWithTheirSecret_andAnUnknownNameOrAWrongSecretHearTheSameRefusal() {
        verified();
        OwnerCredentials alice = coordinator.createOwner("alice");
        assertTrue(alice.secret().startsWith("mo_"));
        assertFalse(alice.toString().contains(alice.secret()), "credentials never print their secret");
        new SigningWorker(coordinator, "alice").withOwnerSecret(alice.secret()).register();

        RegistrationRefusedException unknown = assertThrows(RegistrationRefusedException.class,
                () -> new SigningWorker(coordinator, "mallory").withOwnerSecret(alice.secret()).register());
        RegistrationRefusedException wrong = assertThrows(RegistrationRefusedException.class,
                () -> new SigningWorker(coordinator, "alice").withOwnerSecret("mo_guess").register());
        RegistrationRefusedException none = assertThrows(RegistrationRefusedException.class,
                () -> new SigningWorker(coordinator, "alice").register());
        assertEquals(unknown.getMessage().replace("mallory", "alice"), wrong.getMessage());
        assertEquals(wrong.getMessage(), none.getMessage());
        assertFalse(wrong.getMessage().contains(alice.secret()));
        OwnerAccount kept = coordinator.ownerAccount("alice").orElseThrow();
        assertFalse(kept.toString().contains(kept.secretHash()), "accounts never print their hash");
    }

    @Test
    void anOwnerMayRegisterOnlySoManyNewKeysAnHour_butAKnownKeyAlwaysComesBack() {
        verified();
        String secret = coordinator.createOwner("alice").secret();
        SigningWorker first = new SigningWorker(coordinator, "alice").withOwnerSecret(secret);
        first.register();
        new SigningWorker(coordinator, "alice").withOwnerSecret(secret).register();
        RegistrationRefusedException third = assertThrows(RegistrationRefusedException.class,
                () -> new SigningWorker(coordinator, "alice").withOwnerSecret(secret).register());
        assertTrue(third.getMessage().contains("2 new keys in the last hour"), third.getMessage());
        first.register();
        clock.advance(Duration.ofMinutes(61));
        new SigningWorker(coordinator, "alice").withOwnerSecret(secret).register();
    }

    @Test
    void banningAnOwner_bansEveryKeyOfIt_andNoNewKeyRegisters() {
        verified();
        String secret = coordinator.createOwner("mallory").secret();
        SigningWorker k1 = new SigningWorker(coordinator, "mallory").withOwnerSecret(secret);
        SigningWorker k2 = new SigningWorker(coordinator, "mallory").withOwnerSecret(secret);
        k1.register();
        k2.register();
        SigningWorker bystander = SigningWorker.ofNewAccount(coordinator, "alice");
        OwnerAccount banned = coordinator.banOwner("mallory", "Sybil farm");
        assertEquals(OwnerState.BANNED, banned.state());
        for (SigningWorker k : List.of(k1, k2)) {
            assertEquals(WorkerState.BANNED, coordinator.worker(k.id()).orElseThrow().state());
            assertTrue(events.stream().anyMatch(e -> e instanceof CoordinatorEvent.WorkerBanned b
                    && b.worker().equals(k.id()) && b.reason().contains("Sybil farm")));
        }
        assertEquals(WorkerState.ACTIVE, coordinator.worker(bystander.id()).orElseThrow().state());
        RegistrationRefusedException e = assertThrows(RegistrationRefusedException.class,
                () -> new SigningWorker(coordinator, "mallory").withOwnerSecret(secret).register());
        assertTrue(e.getMessage().contains("banned"), e.getMessage());
        assertThrows(UnknownOwnerException.class, () -> coordinator.banOwner("nobody", "x"));
    }

    @Test
    void aBannedAccount_isRefusedEvenWhereOwnersAreDeclared() {
        open(Coordinator.builder().trustPolicy(new QuorumPolicy(2, 2, 4, true)));
        SigningWorker.registered(coordinator, "anyone");
        coordinator.createOwner("mallory");
        coordinator.banOwner("mallory", "abuse");
        assertThrows(RegistrationRefusedException.class, () -> SigningWorker.registered(coordinator, "mallory"));
    }

    @Test
    void signUp_isClosedByDefault_openWhenAllowed_andNamesAreTakenOnce() {
        verified();
        assertThrows(RegistrationRefusedException.class, () -> coordinator.signUp("alice"));
        coordinator.stop();
        open(Coordinator.builder().trustPolicy("credibility", Map.of()).ownerSignUp(true));
        OwnerCredentials alice = coordinator.signUp("alice");
        assertEquals("alice", alice.name());
        assertThrows(OwnerExistsException.class, () -> coordinator.signUp("alice"));
        assertThrows(OwnerExistsException.class, () -> coordinator.createOwner("alice"));
        assertThrows(InvalidRequestException.class, () -> coordinator.signUp("muster:spot-checks"));
        assertThrows(InvalidRequestException.class, () -> coordinator.signUp(""));
        assertEquals(List.of("alice"), coordinator.ownerAccounts(null, 10).stream().map(OwnerAccount::name).toList());
    }

    @Test
    void aPolicyThatCountsOwners_refusesDeclaredOwners_andIsVerifiedByDefault() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> Coordinator.builder()
                .trustPolicy("credibility", Map.of()).ownerAccounts(false).validator(new EchoValidator()).build());
        assertTrue(e.getMessage().contains("owners.accounts=declared"), e.getMessage());
        open(Coordinator.builder().trustPolicy("credibility", Map.of()));
        assertThrows(RegistrationRefusedException.class, () -> SigningWorker.registered(coordinator, "alice"));
        ConfigurationException bad = assertThrows(ConfigurationException.class, () -> Coordinator.builder()
                .configure(Map.of("owners.accounts", "sometimes")));
        assertTrue(bad.getMessage().contains("'verified' or 'declared'"), bad.getMessage());
    }
}
