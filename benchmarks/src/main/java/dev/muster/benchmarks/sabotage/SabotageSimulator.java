package dev.muster.benchmarks.sabotage;

import dev.muster.benchmarks.AcceptAll;
import dev.muster.core.Coordinator;
import dev.muster.core.policy.QuorumPolicy;
import dev.muster.spi.Capabilities;
import dev.muster.spi.Challenge;
import dev.muster.spi.Digests;
import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.Keys;
import dev.muster.spi.Registration;
import dev.muster.spi.ResultBatch;
import dev.muster.spi.ResultReport;
import dev.muster.spi.SignedBytes;
import dev.muster.spi.Ticket;
import dev.muster.spi.WorkerId;
import dev.muster.spi.policy.TrustPolicy;
import dev.muster.store.memory.MemoryStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.LongFunction;

/**
 * Runs saboteurs against the real coordinator (engine, trust policy, memory store) in one thread,
 * seeded, on a clock that does not move, and counts what the dataset ends up with: accepted jobs
 * whose result is wrong, and results spent per accepted job. The true answer of every job is the
 * simulator's, never the coordinator's.
 *
 * <p>A fraction {@code f} of the workers are saboteurs that answer wrongly with probability
 * {@code s} ({@link Adversary}); colluding saboteurs all give the same wrong answer to a job, the
 * worst case for voting. Honest workers err at {@code honestErrors} with an answer of their own.
 * Each step a random worker leases one ticket and reports it at once.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.muster.benchmarks.sabotage.SabotageSimulator
 *      [--workers 1000] [--jobs 20000] [--seeds 3] [--seed N]
 * </pre>
 */
public final class SabotageSimulator {
    /** The job type, whose every result is well-formed: only agreement tells right from wrong. */
    static final String TYPE = "bench";

    /** How a saboteur answers; honest workers are the {@link #HONEST} case. */
    enum Adversary {
        HONEST,
        /** Wrong with probability s on every job, from the first. */
        STATIONARY,
        /** Honest for its first {@link Cell#sleeperWarmup} results, then wrong with probability s. */
        SLEEPER,
        /**
         * Wrong with probability s, but only when every replica of the job issued so far went to
         * the cartel (it learns this out of band); honest otherwise, so it is never outvoted.
         */
        COASSIGNED,
        /**
         * Honest for {@link Cell#sleeperWarmup} results, then wrong once, then back under a new
         * key and owner, which registration gives away for free.
         */
        HIT_AND_RUN,
        /** Garbage every time, under a new key and owner after each result: a flood, not a cheat. */
        FLOOD
    }

    /** One cell of the grid. */
    record Cell(String policy, Adversary adversary, double f, double s, boolean colluding, double honestErrors,
                int workers, int jobs, long seed, int sleeperWarmup) {
        String label() {
            return String.format(Locale.ROOT, "%-9s %-10s f=%-5s s=%-6s %s", policy, adversary.name().toLowerCase(
                    Locale.ROOT), f, s, colluding ? "colluding" : "independent");
        }
    }

    /** What a cell's run left in the dataset. */
    record Outcome(Cell cell, int accepted, int failed, int unfinished, int wrong, long honestResults,
                   long totalResults) {
        double error() {
            return accepted == 0 ? 0 : (double) wrong / accepted;
        }

        /** @return the one-sided 95% Clopper-Pearson upper bound of the error rate */
        double errorBound() {
            return upperBound(wrong, accepted, 0.05);
        }

        double honestPerJob() {
            return accepted == 0 ? 0 : (double) honestResults / accepted;
        }

        double totalPerJob() {
            return accepted == 0 ? 0 : (double) totalResults / accepted;
        }
    }

    private SabotageSimulator() {}

    /** Runs one cell. */
    static Outcome run(Cell cell) {
        Random random = new Random(cell.seed());
        TrustPolicy policy = switch (cell.policy()) {
            case "quorum" -> new QuorumPolicy(2, 2, 16, true);
            case "adaptive" -> new AdaptiveReplication(10, 16, cell.seed() ^ 0x5DEECE66DL);
            default -> throw new IllegalArgumentException("no policy " + cell.policy());
        };
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        Coordinator c = Coordinator.builder().clock(InstantSource.fixed(start)).store(new MemoryStore(
                        1_000, cell.jobs(), 24)).trustPolicy(policy).validator(new AcceptAll())
                .signatures(false).housekeepingInterval(Duration.ZERO).maxSubmitBatch(10_000).build();
        c.start();
        try {
            int saboteurs = (int) Math.round(cell.f() * cell.workers());
            List<SimWorker> workers = new ArrayList<>(cell.workers());
            for (int i = 0; i < cell.workers(); i++) {
                workers.add(new SimWorker(register(c, "owner-" + i), i < saboteurs ? cell.adversary() : Adversary.HONEST));
            }
            List<Job> jobs = new ArrayList<>(cell.jobs());
            for (int i = 0; i < cell.jobs(); i += 10_000) {
                List<JobSpec> specs = new ArrayList<>();
                for (int k = i; k < Math.min(cell.jobs(), i + 10_000); k++) {
                    specs.add(JobSpec.builder(TYPE, ByteBuffer.allocate(8).putLong(k).array()).seed(random.nextLong())
                            .maxAttempts(16).timeout(Duration.ofHours(1)).build());
                }
                jobs.addAll(c.submit(specs));
            }
            LongFunction<byte[]> truth = seed -> ("ok:" + seed).getBytes(StandardCharsets.UTF_8);
            long honest = 0;
            long total = 0;
            int idle = 0;
            Map<JobId, Boolean> cartelOnly = new HashMap<>();
            while (idle < cell.workers() * 20) {
                SimWorker w = workers.get(random.nextInt(workers.size()));
                List<Ticket> tickets = c.lease(w.id, 1).tickets();
                if (tickets.isEmpty()) {
                    idle++;
                    continue;
                }
                idle = 0;
                Ticket t = tickets.get(0);
                boolean cartel = w.adversary != Adversary.HONEST;
                boolean allCartel = cartelOnly.merge(t.jobId(), cartel, Boolean::logicalAnd);
                byte[] answer = w.answer(t.seed(), allCartel, cell, random, truth);
                c.report(new ResultBatch(w.id, List.of(ResultReport.of(t.jobId(), t.replica(), t.seed(), answer,
                        Map.of())), new byte[0]));
                w.results++;
                total++;
                if (w.adversary == Adversary.HONEST) {
                    honest++;
                }
                if (w.reRegisters(cell)) {
                    workers.set(workers.indexOf(w), new SimWorker(register(c, "owner-" + (workers.size() + (int) total)),
                            w.adversary));
                }
            }
            int accepted = 0;
            int failed = 0;
            int wrong = 0;
            for (Job submitted : jobs) {
                Job j = c.job(submitted.id()).orElseThrow();
                if (j.state() == JobState.ACCEPTED) {
                    accepted++;
                    if (!Digests.sha256Hex(truth.apply(j.spec().seed())).equals(j.acceptedDigest())) {
                        wrong++;
                    }
                } else if (j.state() == JobState.FAILED) {
                    failed++;
                }
            }
            return new Outcome(cell, accepted, failed, cell.jobs() - accepted - failed, wrong, honest, total);
        } finally {
            c.stop();
        }
    }

    private static final class SimWorker {
        final WorkerId id;
        final Adversary adversary;
        long results;

        SimWorker(WorkerId id, Adversary adversary) {
            this.id = id;
            this.adversary = adversary;
        }

        /** @param allCartel whether every replica of the job issued so far, this one too, went to the cartel */
        byte[] answer(long seed, boolean allCartel, Cell cell, Random random, LongFunction<byte[]> truth) {
            boolean cheats = switch (adversary) {
                case HONEST -> false;
                case STATIONARY -> random.nextDouble() < cell.s();
                case SLEEPER -> results >= cell.sleeperWarmup() && random.nextDouble() < cell.s();
                case COASSIGNED -> allCartel && random.nextDouble() < cell.s();
                case HIT_AND_RUN -> results >= cell.sleeperWarmup();
                case FLOOD -> true;
            };
            if (cheats) {
                return (cell.colluding() ? "bad:" + seed : "bad:" + seed + ":" + random.nextLong())
                        .getBytes(StandardCharsets.UTF_8);
            }
            if (cell.honestErrors() > 0 && random.nextDouble() < cell.honestErrors()) {
                return ("err:" + seed + ":" + random.nextLong()).getBytes(StandardCharsets.UTF_8);
            }
            return truth.apply(seed);
        }

        /** @return whether, after its latest result, this worker comes back under a new identity */
        boolean reRegisters(Cell cell) {
            return adversary == Adversary.FLOOD
                    || adversary == Adversary.HIT_AND_RUN && results > cell.sleeperWarmup();
        }
    }

    private static WorkerId register(Coordinator c, String owner) {
        KeyPair keys = Keys.generate();
        Capabilities caps = Capabilities.of(4, 4096);
        Challenge ch = c.challenge();
        byte[] proof = Keys.sign(keys.getPrivate(), SignedBytes.registration(ch.value(), keys.getPublic(), owner, caps,
                "sim", 4));
        return c.register(new Registration(keys.getPublic(), owner, caps, "sim", 4, ch.value(), proof)).id();
    }

    /**
     * The one-sided upper confidence bound of a binomial rate after {@code k} events in {@code n}
     * trials (Clopper-Pearson): the rate at which seeing {@code k} or fewer has probability
     * {@code alpha}.
     */
    static double upperBound(int k, int n, double alpha) {
        if (n == 0) {
            return 1;
        }
        if (k >= n) {
            return 1;
        }
        double lo = (double) k / n;
        double hi = 1;
        for (int i = 0; i < 100; i++) {
            double mid = (lo + hi) / 2;
            if (binomialCdf(k, n, mid) > alpha) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    /** P(X <= k) for X ~ Binomial(n, p), summed in log space. */
    static double binomialCdf(int k, int n, double p) {
        double logP = Math.log(p);
        double logQ = Math.log1p(-p);
        double logTerm = n * logQ; // i = 0
        double sum = Math.exp(logTerm);
        for (int i = 1; i <= k; i++) {
            logTerm += Math.log((double) (n - i + 1) / i) + logP - logQ;
            sum += Math.exp(logTerm);
        }
        return Math.min(1, sum);
    }

    /** Runs the grid of the baselines and prints one line per cell. */
    public static void main(String[] args) {
        // Thousands of registrations per cell would drown the table.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        int workers = 1000;
        int jobs = 20_000;
        int seeds = 3;
        long seed = new Random().nextLong();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--workers" -> workers = Integer.parseInt(args[i + 1]);
                case "--jobs" -> jobs = Integer.parseInt(args[i + 1]);
                case "--seeds" -> seeds = Integer.parseInt(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]
                        + "; flags are --workers, --jobs, --seeds, --seed");
            }
        }
        System.out.printf("seed %d, %d workers, %d jobs per run, %d seeds per cell%n", seed, workers, jobs, seeds);
        System.out.println("policy    adversary  f      s       collusion   | accepted wrong error   bound95  "
                + "honest/job total/job failed");
        for (String policy : List.of("quorum", "adaptive")) {
            for (double f : new double[] {0.01, 0.05, 0.1, 0.2}) {
                for (double s : new double[] {1, 0.1, 0.01}) {
                    for (Adversary a : List.of(Adversary.STATIONARY, Adversary.SLEEPER, Adversary.COASSIGNED,
                            Adversary.HIT_AND_RUN, Adversary.FLOOD)) {
                        // A hit-and-run key cheats once and a flood always: s does not apply.
                        boolean rateless = a == Adversary.HIT_AND_RUN || a == Adversary.FLOOD;
                        if (!rateless || s == 1) {
                            print(policy, a, f, s, workers, jobs, seeds, seed);
                        }
                    }
                }
            }
        }
    }

    private static void print(String policy, Adversary a, double f, double s, int workers, int jobs, int seeds,
                              long seed) {
        int accepted = 0;
        int wrong = 0;
        int failed = 0;
        long honest = 0;
        long total = 0;
        Cell cell = null;
        for (int k = 0; k < seeds; k++) {
            cell = new Cell(policy, a, f, s, true, 0, workers, jobs, seed + k, 30);
            Outcome o = run(cell);
            accepted += o.accepted();
            wrong += o.wrong();
            failed += o.failed();
            honest += o.honestResults();
            total += o.totalResults();
        }
        Outcome sum = new Outcome(cell, accepted, failed, 0, wrong, honest, total);
        System.out.printf(Locale.ROOT, "%s | %8d %5d %.1e %.1e  %6.2f     %6.2f    %d%n", cell.label(), accepted, wrong,
                sum.error(), sum.errorBound(), sum.honestPerJob(), sum.totalPerJob(), failed);
    }
}
