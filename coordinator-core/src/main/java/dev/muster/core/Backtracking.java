package dev.muster.core;

import dev.muster.spi.CoordinatorEvent;
import dev.muster.spi.JobId;
import dev.muster.spi.WorkerId;
import dev.muster.spi.policy.KeyTrust;
import dev.muster.spi.policy.StoredResult;
import dev.muster.spi.policy.TrustPolicy;
import dev.muster.spi.store.Backtrack;
import dev.muster.spi.store.Retraction;
import dev.muster.spi.store.Store;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backtracks banned keys, a bounded number of pages per housekeeping round: every accepted job
 * that relied on a result of a banned key is decided again by the store, and what that takes back
 * is announced ({@link Events#retracted}). The store marks a key done when its last page is
 * through; where a key's walk stands between rounds is kept here, so a key with many results
 * finishes over several rounds, and a coordinator that takes over housekeeping after a crash
 * starts the walk again from the first job (repeating it is harmless).
 *
 * <p>A retracted job's spot-checks lose their known answer: those still open are cancelled, and a
 * key that a wrong known answer banned may work again ({@link WorkerStates#spotCheckVoided}).
 * Best effort: a crash in between leaves such keys banned, as an admin would find them.
 */
final class Backtracking {
    private static final Logger LOG = LoggerFactory.getLogger(Backtracking.class);
    /**
     * Keys looked at per round. Most banned keys never had a result accepted (keys thrown away on
     * probation), and cost one store call that finds nothing; a flood of those must not hold back
     * the few keys whose walk retracts something.
     */
    static final int KEYS_PER_ROUND = 1_000;
    static final int PAGE = 500;
    /** Pages that found jobs to decide again, per round. */
    static final int PAGES_PER_ROUND = 20;
    /**
     * How long one round may take, however few pages it turned: on a database each key marked done
     * is a commit, and housekeeping has other work.
     */
    static final long ROUND_NANOS = 500_000_000L;
    /** Spot-checks voided per retracted job; a job is repeated once (SpotChecks), so this is slack. */
    static final int CHECKS_PER_JOB = 16;

    private final Store store;
    private final TrustPolicy policy;
    private final Events events;
    private final WorkerStates workers;
    private final Map<WorkerId, JobId> walked = new HashMap<>();

    Backtracking(Store store, TrustPolicy policy, Events events, WorkerStates workers) {
        this.store = store;
        this.policy = policy;
        this.events = events;
        this.workers = workers;
    }

    /** One round; does nothing for a policy that does not judge keys. @return the jobs retracted */
    synchronized int round(Instant now) {
        if (!policy.judgesKeys()) {
            return 0;
        }
        int pages = 0;
        int retracted = 0;
        long deadline = System.nanoTime() + ROUND_NANOS;
        for (KeyTrust key : store.keysToBacktrack(KEYS_PER_ROUND)) {
            WorkerId worker = key.worker();
            Backtrack page;
            do {
                if (pages == PAGES_PER_ROUND || System.nanoTime() - deadline > 0) {
                    return retracted;
                }
                page = store.backtrack(worker, walked.get(worker), PAGE, now, policy);
                if (page.last() != null) {
                    pages++;
                }
                for (Retraction r : page.retractions()) {
                    events.retracted(r, this::accepted, now);
                    voidSpotChecks(r, now);
                }
                retracted += page.retractions().size();
                if (page.last() != null) {
                    walked.put(worker, page.last());
                } else if (!page.done()) {
                    // A store that found nothing yet is not done would be asked the same forever.
                    LOG.warn("the store's backtrack of {} found no job but is not done; trying it next round", worker);
                    return retracted;
                }
            } while (!page.done());
            walked.remove(worker);
            LOG.info("backtracked banned worker {}", worker);
        }
        return retracted;
    }

    private void voidSpotChecks(Retraction r, Instant now) {
        if (SpotChecks.isSpotCheck(r.job())) {
            return;
        }
        for (JobId check : store.spotChecksOf(r.job().id(), CHECKS_PER_JOB)) {
            // Cancelled first, so that an answer arriving meanwhile is among the results read next.
            store.cancel(check, now, "the job it repeats, " + r.job().id() + ", lost its acceptance");
            for (StoredResult answer : store.results(check)) {
                if (answer.valid() && !answer.resultDigest().equals(r.retractedDigest())) {
                    workers.spotCheckVoided(answer, now);
                }
            }
        }
    }

    /** The event for a job accepted anew by a retraction, with its result and credit read back. */
    private CoordinatorEvent.JobAccepted accepted(dev.muster.spi.Job job) {
        byte[] result = store.results(job.id()).stream()
                .filter(r -> r.valid() && r.resultDigest().equals(job.acceptedDigest())).findFirst()
                .map(StoredResult::result).orElse(new byte[0]);
        return new CoordinatorEvent.JobAccepted(job, result, store.credits(job.id()), job.finishedAt());
    }
}
