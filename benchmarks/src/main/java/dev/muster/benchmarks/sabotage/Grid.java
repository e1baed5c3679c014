package dev.muster.benchmarks.sabotage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a grid of {@link SabotageSimulator} cells, several seeds each, on a few threads, and prints
 * one line per cell in a fixed order; every figure but the speed depends on the seed alone.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.muster.benchmarks.sabotage.Grid
 *      [--policies quorum,adaptive,credibility] [--adversaries STATIONARY,SLEEPER,...]
 *      [--f 0.01,0.05,0.1,0.2] [--s 1,0.1,0.01,0.001] [--start cold,warm] [--honest-errors 0]
 *      [--independent] [--workers 1000] [--jobs 20000] [--backlog 2 x workers] [--seeds 3] [--seed N]
 *      [--threads 2]
 * </pre>
 *
 * <p>Columns: accepted jobs and wrong ones among them (after retractions), the error and its
 * one-sided 95% Clopper-Pearson bound over all seeds, the error of each seed (seeds, not jobs, are
 * the independent units), honest and all results spent per accepted job (spot-checks included),
 * disputes (jobs that saw two digests or more), retractions and honest keys banned per 1,000
 * jobs, the share of honest keys banned, jobs left unfinished, accepted jobs per second of one
 * thread's simulation (indicative only: the machine is shared), and for a {@code steering} cartel
 * the share of its early turns that caught the replica they chased.
 */
public final class Grid {
    private Grid() {}

    /** @param args see the class documentation */
    public static void main(String[] args) throws Exception {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        }
        List<String> policies = List.of("quorum", "adaptive", "credibility");
        List<Adversary> adversaries = Arrays.stream(Adversary.values()).filter(a -> a != Adversary.HONEST).toList();
        List<Double> fs = List.of(0.01, 0.05, 0.1, 0.2);
        List<Double> ss = List.of(1.0, 0.1, 0.01, 0.001);
        List<Boolean> warm = List.of(false, true);
        double honestErrors = 0;
        boolean colluding = true;
        int workers = 1000;
        int backlog = 0;
        int jobs = 20_000;
        int seeds = 3;
        long seed = new Random().nextLong();
        int threads = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--independent")) {
                colluding = false;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String v = args[++i];
            switch (flag) {
                case "--policies" -> policies = List.of(v.split(","));
                case "--adversaries" -> adversaries = Arrays.stream(v.split(","))
                        .map(a -> Adversary.valueOf(a.toUpperCase(Locale.ROOT))).toList();
                case "--f" -> fs = Arrays.stream(v.split(",")).map(Double::valueOf).toList();
                case "--s" -> ss = Arrays.stream(v.split(",")).map(Double::valueOf).toList();
                case "--start" -> warm = Arrays.stream(v.split(",")).map(x -> x.equals("warm")).toList();
                case "--honest-errors" -> honestErrors = Double.parseDouble(v);
                case "--workers" -> workers = Integer.parseInt(v);
                case "--backlog" -> backlog = Integer.parseInt(v);
                case "--jobs" -> jobs = Integer.parseInt(v);
                case "--seeds" -> seeds = Integer.parseInt(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--threads" -> threads = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        List<Cell> cells = new ArrayList<>();
        for (String policy : policies) {
            for (boolean w : warm) {
                for (double f : fs) {
                    for (Adversary a : adversaries) {
                        for (double s : a.usesRate() ? ss : List.of(1.0)) {
                            cells.add(new Cell(policy, a, f, s, colluding, honestErrors, w, workers, jobs,
                                    backlog > 0 ? backlog : 2 * workers, seed));
                        }
                    }
                }
            }
        }
        System.out.printf("seed %d, %d workers, %d jobs per run, backlog %d, %d seeds per cell, %d threads%n", seed,
                workers, jobs, backlog > 0 ? backlog : 2 * workers, seeds, threads);
        System.out.println(header());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<List<Future<Outcome>>> runs = new ArrayList<>();
            for (Cell cell : cells) {
                List<Future<Outcome>> perSeed = new ArrayList<>();
                for (int k = 0; k < seeds; k++) {
                    Cell seeded = cell.withSeed(seed + k);
                    perSeed.add(pool.submit(() -> SabotageSimulator.run(seeded)));
                }
                runs.add(perSeed);
            }
            for (List<Future<Outcome>> perSeed : runs) {
                List<Outcome> outcomes = new ArrayList<>();
                for (Future<Outcome> f : perSeed) {
                    outcomes.add(f.get());
                }
                System.out.println(line(outcomes));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static String header() {
        return "policy      adversary           f      s       start coll | accepted wrong error   bound95  per-seed"
                + "               honest/job total/job disputes/1k retract/1k honestBan/1k honestBan% byCheck lifted"
                + " unfinished jobs/s caught";
    }

    /** @return one line for the outcomes of one cell's seeds */
    static String line(List<Outcome> outcomes) {
        Outcome sum = outcomes.get(0);
        StringBuilder perSeed = new StringBuilder();
        for (int i = 0; i < outcomes.size(); i++) {
            if (i > 0) {
                sum = sum.plus(outcomes.get(i));
                perSeed.append(',');
            }
            perSeed.append(String.format(Locale.ROOT, "%.0e", outcomes.get(i).error()));
        }
        double perThousand = 1000.0 / Math.max(1, sum.accepted() + sum.failed() + sum.unfinished());
        return String.format(Locale.ROOT, "%s | %8d %5d %.1e %.1e  %-22s %6.2f     %6.2f   %7.1f     %7.1f     %7.2f"
                        + "       %5.2f%%    %5.0f%%  %5.0f%%   %6d %6.0f %s", sum.cell().label(), sum.accepted(),
                sum.wrong(), sum.error(), sum.errorBound(), perSeed, sum.honestPerJob(), sum.totalPerJob(),
                sum.disputes() * perThousand, sum.retractions() * perThousand, sum.honestBanned() * perThousand,
                100.0 * sum.honestBanned() / Math.max(1, sum.honestKeys()),
                100.0 * sum.honestBannedByChecks() / Math.max(1, sum.honestBanned()),
                100.0 * sum.honestBansLifted() / Math.max(1, sum.honestBanned()), sum.unfinished(),
                sum.accepted() / Math.max(1e-9, sum.seconds()), sum.steeredTurns() == 0 ? "-"
                        : String.format(Locale.ROOT, "%.1f%%", 100.0 * sum.steeredCaught() / sum.steeredTurns()));
    }
}
