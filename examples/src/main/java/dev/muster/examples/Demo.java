package dev.muster.examples;

import dev.muster.core.Coordinator;
import dev.muster.core.policy.AllowlistPolicy;
import dev.muster.examples.cardgame.Card;
import dev.muster.examples.cardgame.CardGameHandler;
import dev.muster.examples.cardgame.CardGameValidator;
import dev.muster.examples.cardgame.Decks;
import dev.muster.examples.cardgame.GameResult;
import dev.muster.examples.cardgame.Matchup;
import dev.muster.spi.CoordinatorEvent;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.LeaderboardEntry;
import dev.muster.spi.LeaderboardScope;
import dev.muster.spi.Rejection;
import dev.muster.spi.RejectionReason;
import dev.muster.spi.ResultReport;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a batch of card games twice in one JVM: on a trusted pool (allowlisted workers, one result
 * decides) and on an open pool (anyone may join, two workers of different owners must agree) where
 * one worker returns wrong results. Prints progress, the rejections and the leaderboards.
 *
 * <p>Usage: {@code Demo [games]} (default 400); other arguments are ignored.
 */
public final class Demo {
    private Demo() {}

    /** @param args optional number of games per pool */
    public static void main(String[] args) throws Exception {
        int games = 400;
        for (String a : args) {
            // The build passes its target directory first; only a number is a game count.
            if (a.trim().matches("\\d+")) {
                games = Integer.parseInt(a.trim());
            }
        }
        List<JobSpec> batch = games(games);
        runTrusted(batch);
        runOpen(batch);
    }

    static List<JobSpec> games(int n) {
        return games(0, n);
    }

    /** @return games number {@code first} to {@code first + n - 1}: the same numbers make the same games */
    static List<JobSpec> games(long first, int n) {
        List<Map.Entry<String, List<Card>>> decks = new ArrayList<>(Decks.samples().entrySet());
        List<JobSpec> specs = new ArrayList<>(n);
        for (long k = first; k < first + n; k++) {
            int i = (int) (k % 1_000_000_000L);
            Map.Entry<String, List<Card>> a = decks.get(i % decks.size());
            Map.Entry<String, List<Card>> b = decks.get((i / decks.size() + 1 + i) % decks.size());
            Matchup m = new Matchup(a.getKey(), a.getValue(), b.getKey(), b.getValue());
            specs.add(JobSpec.builder(CardGameValidator.TYPE, m.encode()).mediaType(Matchup.MEDIA_TYPE)
                    .seed(1_000 + k).submitter(i % 4 == 0 ? "deck-lab" : "tournament")
                    .idempotencyKey("demo-game-" + k).build());
        }
        return specs;
    }

    private static void runTrusted(List<JobSpec> batch) throws InterruptedException {
        AllowlistPolicy allowlist = new AllowlistPolicy(List.of());
        Pool pool = new Pool("Trusted pool: allowlist, one result decides", batch.size());
        try (Coordinator c = pool.builder().trustPolicy(allowlist).build()) {
            c.start();
            for (String owner : List.of("alice", "bob", "carol")) {
                LocalWorker w = new LocalWorker(c, owner, new CardGameHandler(), 16);
                allowlist.allow(w.keys().getPublic());
                pool.add(w);
            }
            pool.run(c, batch);
        }
    }

    private static void runOpen(List<JobSpec> batch) throws InterruptedException {
        Pool pool = new Pool("Open pool: quorum, 2 of 2 replicas from different owners must agree", batch.size());
        try (Coordinator c = pool.builder().trustPolicy("quorum", Map.of("replicas", "2", "agree", "2")).build()) {
            c.start();
            for (String owner : List.of("alice", "bob", "carol", "dave")) {
                pool.add(new LocalWorker(c, owner, new CardGameHandler(), 16));
            }
            pool.add(new LocalWorker(c, "mallory", Demo::cheat, 16));
            pool.run(c, batch);
        }
    }

    /** Claims a win for deck A in ten turns without playing: well-formed, so only agreement can catch it. */
    private static ResultReport cheat(dev.muster.spi.Ticket t) {
        GameResult fake = new GameResult("A", 10, 20, 0, "0".repeat(64));
        return ResultReport.of(t.jobId(), t.replica(), t.seed(), fake.encode(), fake.metadata());
    }

    /** One pool's run: workers on threads, a latch counting finished jobs, and the report. */
    private static final class Pool {
        final String title;
        final DeckStats stats = new DeckStats();
        final CountDownLatch finished;
        final AtomicLong done = new AtomicLong();
        final List<LocalWorker> workers = new ArrayList<>();
        final int total;

        Pool(String title, int total) {
            this.title = title;
            this.total = total;
            this.finished = new CountDownLatch(total);
        }

        dev.muster.core.CoordinatorBuilder builder() {
            return Coordinator.builder().store("memory", Map.of()).validator(new CardGameValidator())
                    .listener(stats).listener(this::onEvent);
        }

        void onEvent(CoordinatorEvent e) {
            if (e instanceof CoordinatorEvent.JobAccepted || e instanceof CoordinatorEvent.JobFailed) {
                long n = done.incrementAndGet();
                if (n % 100 == 0 || n == total) {
                    System.out.printf("  %d/%d games decided%n", n, total);
                }
                finished.countDown();
            }
        }

        void add(LocalWorker w) {
            w.register();
            workers.add(w);
        }

        void run(Coordinator c, List<JobSpec> batch) throws InterruptedException {
            System.out.println();
            System.out.println("== " + title);
            System.out.println("  " + workers.size() + " workers, " + batch.size() + " games");
            List<Thread> threads = new ArrayList<>();
            for (LocalWorker w : workers) {
                Thread t = new Thread(w, "worker-" + w.id());
                t.start();
                threads.add(t);
            }
            long start = System.nanoTime();
            for (int i = 0; i < batch.size(); i += 100) {
                c.submit(batch.subList(i, Math.min(batch.size(), i + 100)));
            }
            if (!finished.await(5, TimeUnit.MINUTES)) {
                System.out.println("  gave up waiting: " + finished.getCount() + " games undecided");
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            workers.forEach(LocalWorker::stop);
            for (Thread t : threads) {
                t.join();
            }
            report(c, millis);
        }

        void report(Coordinator c, long millis) {
            var summary = c.summary();
            System.out.printf("  done in %d ms: %d accepted, %d failed%n", millis,
                    summary.jobs().get(JobState.ACCEPTED), summary.jobs().get(JobState.FAILED));
            List<Rejection> rejections = c.rejections(10_000);
            Map<RejectionReason, Integer> byReason = new EnumMap<>(RejectionReason.class);
            rejections.forEach(r -> byReason.merge(r.reason(), 1, Integer::sum));
            System.out.println("  rejected results: " + (rejections.isEmpty() ? "none" : byReason));
            rejections.stream().limit(3).forEach(r -> System.out.printf("    job %s from worker %s: %s (%s)%n",
                    r.jobId(), r.worker(), r.reason(), r.detail()));
            System.out.println("  leaderboard (owners, all time):");
            for (LeaderboardEntry e : c.leaderboard(LeaderboardScope.OWNER, null, 10)) {
                System.out.printf("    %d. %-8s %8.2f credit  %4d results%n", e.rank(), e.name(), e.credit(),
                        e.results());
            }
            System.out.println("  deck results (from the result sink): " + stats.summary());
        }
    }
}
