package dev.muster.benchmarks.sabotage;

import dev.muster.benchmarks.AcceptAll;
import dev.muster.core.Coordinator;
import dev.muster.core.policy.CredibilityPolicy;
import dev.muster.core.policy.QuorumPolicy;
import dev.muster.spi.Capabilities;
import dev.muster.spi.Challenge;
import dev.muster.spi.CoordinatorEvent;
import dev.muster.spi.Digests;
import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.Keys;
import dev.muster.spi.Registration;
import dev.muster.spi.Requirements;
import dev.muster.spi.ResultBatch;
import dev.muster.spi.ResultReport;
import dev.muster.spi.SignedBytes;
import dev.muster.spi.Ticket;
import dev.muster.spi.WorkerBannedException;
import dev.muster.spi.WorkerId;
import dev.muster.spi.WorkerState;
import dev.muster.spi.policy.TrustPolicy;
import dev.muster.spi.store.SpotCheck;
import dev.muster.store.memory.MemoryStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Runs saboteurs against the real coordinator (engine, trust policy, memory store) in one thread,
 * seeded, on a clock that does not move, and counts what the dataset ends up with: accepted jobs
 * whose result is wrong (after retractions), and results spent per accepted job. The true answer
 * of every job is the simulator's, never the coordinator's.
 *
 * <p>A fraction {@code f} of the keys are saboteurs of one {@link Adversary} strategy; colluding
 * saboteurs all give the same wrong answer to a job, the worst case for voting. Honest people run
 * {@value #KEYS_PER_OWNER} keys under one owner account, and so does the cartel, except the
 * {@link Adversary#SYBIL} cartel, which has an account per key. Honest hardware errs at
 * {@code honestErrors} with an answer of its own. The submitter keeps a backlog of unfinished
 * jobs and tops it up as they finish. Each step a random key leases one ticket and
 * reports it at once; housekeeping (which backtracks banned keys) runs every
 * {@value #HOUSEKEEPING_EVERY} steps and until nothing more is retracted at the end. A banned key
 * comes back at once under a new key of the same owner, as a newcomer: identities are free here,
 * the worst case for the pool. Cold cells start with no history; warm cells start with every key,
 * the saboteurs' too, past the credibility policy's maturity (steady state, warm adversaries).
 * {@link Grid} runs cells in parallel and prints the table.
 */
public final class SabotageSimulator {
    /** The job type, whose every result is well-formed: only agreement tells right from wrong. */
    static final String TYPE = "bench";
    /** The capability label a few jobs need ({@link Adversary#RARE_CLASS}). */
    static final String RARE = "rare-platform";
    static final double RARE_JOBS = 0.05;
    static final double RARE_HONEST_KEYS = 0.01;
    /** Share of spot-checks a {@link Adversary#SPOT_CHECK_DETECTOR} recognises. */
    static final double DETECTED = 0.5;
    static final int KEYS_PER_OWNER = 3;
    static final int HOUSEKEEPING_EVERY = 5_000;
    /** Results a cold sleeper or hit-and-run key answers honestly before it turns. */
    static final int BUILD_UP = 30;
    /** The credibility policy's maturity, which warm cells start every key at. */
    static final int MATURITY = 100;
    /** The credibility policy's default probation: spot-checks first for a key's first ten passes. */
    static final int PROBATION = 10;
    /**
     * Passes that take a strike back: the policy's default, or {@code -Dmuster.sim.strikeExpiry}
     * (0: never) to measure what expiry costs and buys.
     */
    static final long STRIKE_EXPIRY = Long.getLong("muster.sim.strikeExpiry", CredibilityPolicy.STRIKE_EXPIRY);
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private SabotageSimulator() {}

    static TrustPolicy policy(Cell cell) {
        return switch (cell.policy()) {
            case "quorum" -> new QuorumPolicy(2, 2, 16, true);
            case "adaptive" -> new AdaptiveReplication(10, 16, cell.seed() ^ 0x5DEECE66DL);
            // The operator's bound is the cell's f: the pool is configured for what it faces.
            case "credibility" -> new CredibilityPolicy(Math.min(0.45, Math.max(0.01, cell.f())), 1e-4, Map.of(),
                    MATURITY, 2, 40, 0.1, 0.1, PROBATION, STRIKE_EXPIRY);
            default -> throw new IllegalArgumentException("no policy " + cell.policy()
                    + "; policies are quorum, adaptive, credibility");
        };
    }

    /** What the simulator knows about one job, to play the strategies that watch a job's history. */
    private static final class Track {
        boolean honestRight;
        boolean cartelWrong;
        boolean allCartel = true;
        Boolean spotCheck;
        final Set<String> digests = new HashSet<>(2);
    }

    /** Runs one cell. */
    static Outcome run(Cell cell) {
        return new Run(cell).play();
    }

    /** The state of one run. */
    private static final class Run {
        final Cell cell;
        final Random random;
        final TrustPolicy policy;
        final MemoryStore store;
        final Coordinator c;
        final Map<String, String> secrets = new HashMap<>();
        /** Keys from the seed, so that worker ids, and every order that follows them, repeat with it. */
        final SecureRandom keySource;
        final List<Key> keys = new ArrayList<>();
        final Map<JobId, Track> tracks = new HashMap<>();
        final Set<JobId> retracted = new HashSet<>();
        List<JobSpec> specs = List.of();
        final List<Job> submitted = new ArrayList<>();
        /** Submitted jobs not yet accepted or failed (a retracted job is unfinished again). */
        final Set<JobId> unfinished = new HashSet<>();
        long honest;
        long total;
        int honestBanned;
        int honestBannedByChecks;
        /** Honest keys banned, to see at the end which bans were lifted (a spot-check's known answer voided). */
        final List<WorkerId> bannedHonest = new ArrayList<>();
        int honestKeys;
        long fresh;
        int saboteurs;
        Steering steering;

        Run(Cell cell) {
            this.cell = cell;
            this.random = new Random(cell.seed());
            try {
                this.keySource = SecureRandom.getInstance("SHA1PRNG");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            keySource.setSeed(cell.seed());
            this.policy = policy(cell);
            this.store = new MemoryStore(1_000, 20L * cell.jobs() + 100_000, 24);
            this.c = Coordinator.builder().clock(InstantSource.fixed(START)).store(store).trustPolicy(policy)
                    .validator(new AcceptAll()).signatures(false).housekeepingInterval(Duration.ZERO)
                    .maxSubmitBatch(10_000).random(new Random(cell.seed() * 31 + 7)).newKeysPerOwnerPerHour(0)
                    .listener(this::track).build();
        }

        /** Follows which submitted jobs are still unfinished, and which were retracted. */
        private void track(CoordinatorEvent e) {
            if (e instanceof CoordinatorEvent.JobRetracted r) {
                retracted.add(r.job().id());
                unfinished.add(r.job().id());
            } else if (e instanceof CoordinatorEvent.JobAccepted a) {
                unfinished.remove(a.job().id());
            } else if (e instanceof CoordinatorEvent.JobFailed f) {
                unfinished.remove(f.job().id());
            }
        }

        Outcome play() {
            long began = System.nanoTime();
            c.start();
            try {
                saboteurs = (int) Math.round(cell.f() * cell.workers());
                steering = new Steering(random, saboteurs);
                // A few honest keys of distinct owners have the rare platform: 1%, at least three.
                int honestKeysAtStart = cell.workers() - saboteurs;
                int rareSpacing = Math.max(KEYS_PER_OWNER,
                        honestKeysAtStart / Math.max(3, (int) (honestKeysAtStart * RARE_HONEST_KEYS)));
                for (int i = 0; i < cell.workers(); i++) {
                    boolean bad = i < saboteurs;
                    Adversary a = bad ? cell.adversary() : Adversary.HONEST;
                    String owner = bad && a == Adversary.SYBIL ? "sybil-" + i
                            : (bad ? "cartel-" : "honest-") + (i / KEYS_PER_OWNER);
                    boolean rare = rareJobs() && (bad ? a == Adversary.RARE_CLASS : (i - saboteurs) % rareSpacing == 0);
                    Key k = register(owner, rare, a);
                    keys.add(k);
                    if (!bad) {
                        honestKeys++;
                    }
                    if (cell.warm() && policy.judgesKeys()) {
                        store.updateTrust(k.id, t -> {
                            for (int p = 0; p < MATURITY; p++) {
                                t = t.pass(START);
                            }
                            return t;
                        });
                    }
                }
                specs = specs();
                loop();
                // Backtracking may reopen jobs; decide them too, until every banned key is backtracked
                // and nothing more is retracted.
                for (int round = 0; round < 1_000; round++) {
                    int before = retracted.size();
                    c.runHousekeeping();
                    loop();
                    if (retracted.size() == before && store.keysToBacktrack(1).isEmpty()) {
                        break;
                    }
                }
                return tally(submitted, (System.nanoTime() - began) / 1e9);
            } finally {
                c.stop();
            }
        }

        /** Rare-platform jobs exist only in the squatter's cells, where what they cost is the point. */
        private boolean rareJobs() {
            return cell.adversary() == Adversary.RARE_CLASS;
        }

        private Key register(String owner, boolean rare, Adversary a) {
            KeyPair pair = keyPair();
            Capabilities caps = new Capabilities(4, 4096, false, rare ? Set.of(RARE) : Set.of());
            Challenge ch = c.challenge();
            byte[] proof = Keys.sign(pair.getPrivate(), SignedBytes.registration(ch.value(), pair.getPublic(), owner,
                    caps, "sim", 4));
            String secret = null;
            if (policy.ownerAccounts()) {
                secret = secrets.computeIfAbsent(owner, o -> c.createOwner(o).secret());
            }
            WorkerId id = c.register(new Registration(pair.getPublic(), owner, caps, "sim", 4, ch.value(), proof,
                    secret)).id();
            return new Key(id, a, owner, rare);
        }

        private KeyPair keyPair() {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
                g.initialize(NamedParameterSpec.ED25519, keySource);
                return g.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Ed25519 is missing from this JVM", e);
            }
        }

        private List<JobSpec> specs() {
            List<JobSpec> out = new ArrayList<>(cell.jobs());
            for (int k = 0; k < cell.jobs(); k++) {
                JobSpec.Builder b = JobSpec.builder(TYPE, ByteBuffer.allocate(8).putLong(k).array())
                        .seed(random.nextLong()).maxAttempts(16).timeout(Duration.ofHours(1));
                if (rareJobs() && random.nextDouble() < RARE_JOBS) {
                    b.requirements(new Requirements(0, 0, false, Set.of(RARE)));
                }
                out.add(b.build());
            }
            return out;
        }

        /**
         * Tops the backlog up once half of it is finished, in one submission; or, when the pool has
         * gone idle on jobs nobody can take, with a backlog's worth anyway.
         *
         * @return whether it submitted anything
         */
        private boolean feed(boolean idle) {
            if (submitted.size() == specs.size() || !idle && unfinished.size() > cell.backlog() / 2) {
                return false;
            }
            int room = idle ? cell.backlog() : cell.backlog() - unfinished.size();
            int n = Math.min(Math.min(specs.size() - submitted.size(), room), 10_000);
            for (Job j : c.submit(specs.subList(submitted.size(), submitted.size() + n))) {
                submitted.add(j);
                unfinished.add(j.id());
            }
            return n > 0;
        }

        private void loop() {
            int idle = 0;
            long step = 0;
            while (true) {
                if (idle >= cell.workers() * 20) {
                    if (!feed(true)) {
                        break;
                    }
                    idle = 0;
                }
                feed(false);
                JobId chased = steering.chased();
                int wi = steering.next(keys);
                if (wi < 0) {
                    continue;
                }
                if (++step % HOUSEKEEPING_EVERY == 0) {
                    c.runHousekeeping();
                }
                Key k = keys.get(wi);
                List<Ticket> tickets;
                try {
                    tickets = c.lease(k.id, 1).tickets();
                } catch (WorkerBannedException banned) {
                    if (k.adversary == Adversary.HONEST) {
                        honestBan(k);
                    }
                    keys.set(wi, register(k.owner, k.rare, k.adversary));
                    continue;
                }
                if (tickets.isEmpty()) {
                    idle++;
                    continue;
                }
                idle = 0;
                Ticket t = tickets.get(0);
                steering.leased(chased, t.jobId());
                Track track = tracks.computeIfAbsent(t.jobId(), id -> new Track());
                if (track.spotCheck == null) {
                    track.spotCheck = SpotCheck.SUBMITTER.equals(t.spec().submitter());
                }
                boolean cartel = k.adversary != Adversary.HONEST;
                track.allCartel &= cartel;
                byte[] answer = answer(k, t, track);
                c.report(new ResultBatch(k.id, List.of(ResultReport.of(t.jobId(), t.replica(), t.seed(), answer,
                        Map.of())), new byte[0]));
                String digest = Digests.sha256Hex(answer);
                track.digests.add(digest);
                boolean right = digest.equals(Digests.sha256Hex(truth(t.seed())));
                track.honestRight |= !cartel && right;
                track.cartelWrong |= cartel && !right;
                if (k.adversary == Adversary.STEERING && !right) {
                    steering.answeredWrong(keys, k, t.jobId(), chased);
                }
                k.results++;
                total++;
                if (!cartel) {
                    honest++;
                }
                if (k.adversary.reRegistersAfterEachResult() || k.adversary == Adversary.HIT_AND_RUN && k.cheated) {
                    keys.set(wi, register("fresh-" + ++fresh, k.rare, k.adversary));
                }
            }
        }

        private byte[] answer(Key k, Ticket t, Track track) {
            boolean built = cell.warm() || k.results >= BUILD_UP;
            boolean cheats = switch (k.adversary) {
                case HONEST -> false;
                case STATIONARY, SYBIL -> random.nextDouble() < cell.s();
                case SLEEPER -> built && random.nextDouble() < cell.s();
                case FOLLOWER -> !track.honestRight && (track.cartelWrong || random.nextDouble() < cell.s());
                case COASSIGNED, STEERING -> track.allCartel && random.nextDouble() < cell.s();
                case HIT_AND_RUN -> built && !k.cheated;
                case SPOT_CHECK_DETECTOR -> !(track.spotCheck && random.nextDouble() < DETECTED)
                        && random.nextDouble() < cell.s();
                case RARE_CLASS -> !t.spec().requirements().labels().isEmpty() && random.nextDouble() < cell.s();
                case FRAMING -> track.honestRight;
                case FLOOD -> true;
            };
            if (cheats) {
                k.cheated = true;
                return (cell.colluding() ? "bad:" + t.seed() : "bad:" + t.seed() + ":" + random.nextLong())
                        .getBytes(StandardCharsets.UTF_8);
            }
            double errors = cell.honestErrors();
            if (k.adversary == Adversary.HONEST && errors > 0 && random.nextDouble() < errors) {
                return ("err:" + t.seed() + ":" + random.nextLong()).getBytes(StandardCharsets.UTF_8);
            }
            return truth(t.seed());
        }

        private Outcome tally(List<Job> jobs, double seconds) {
            int accepted = 0;
            int failed = 0;
            int wrong = 0;
            int disputes = 0;
            int retractions = 0;
            for (Job submitted : jobs) {
                Job j = c.job(submitted.id()).orElseThrow();
                if (j.state() == JobState.ACCEPTED) {
                    accepted++;
                    if (!Digests.sha256Hex(truth(j.spec().seed())).equals(j.acceptedDigest())) {
                        wrong++;
                    }
                } else if (j.state() == JobState.FAILED) {
                    failed++;
                }
                Track track = tracks.get(j.id());
                if (track != null && track.digests.size() > 1) {
                    disputes++;
                }
                if (retracted.contains(j.id())) {
                    retractions++;
                }
            }
            for (Key k : keys) {
                if (k.adversary == Adversary.HONEST && c.worker(k.id).orElseThrow().state() == WorkerState.BANNED) {
                    honestBan(k);
                }
            }
            return new Outcome(cell, accepted, failed, jobs.size() - accepted - failed, wrong, honest, total, disputes,
                    retractions, honestKeys + honestBanned, honestBanned, honestBannedByChecks,
                    (int) bannedHonest.stream().filter(id -> !c.standing(id).banned()).count(), steering.turns(),
                    steering.caught(), seconds);
        }

        /** Counts an honest key banned, and whether a spot-check banned it rather than lost disputes. */
        private void honestBan(Key k) {
            honestBanned++;
            if (policy.judgesKeys()) {
                bannedHonest.add(k.id);
            }
            if (policy.judgesKeys() && c.standing(k.id).banReason().contains("spot-check")) {
                honestBannedByChecks++;
            }
        }
    }

    /** The right answer to the job with this seed. */
    static byte[] truth(long seed) {
        return ("ok:" + seed).getBytes(StandardCharsets.UTF_8);
    }
}
