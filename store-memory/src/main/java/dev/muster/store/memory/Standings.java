package dev.muster.store.memory;

import dev.muster.spi.JobId;
import dev.muster.spi.JobState;
import dev.muster.spi.WorkerId;
import dev.muster.spi.WorkerState;
import dev.muster.spi.policy.KeyTrust;
import dev.muster.spi.policy.StoredResult;
import dev.muster.spi.policy.TrustPolicy;
import dev.muster.spi.store.Backtrack;
import dev.muster.spi.store.JobLifecycle;
import dev.muster.spi.store.Retraction;
import dev.muster.spi.store.TrustBook;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The standing of worker keys in a {@link MemoryStore}, and which jobs each key answered validly
 * (what backtracking a banned key walks); guarded by the store's lock.
 *
 * <p>The index holds job ids only. Jobs the store has since dropped are pruned from it when a
 * backtrack finds them gone, so a key that is never banned costs one set entry per answer.
 */
final class Standings implements TrustBook {
    private final Map<WorkerId, KeyTrust> standing = new HashMap<>();
    private final Map<WorkerId, NavigableSet<Long>> answered = new HashMap<>();
    private final BiConsumer<WorkerId, WorkerState> setWorkerState;

    /** @param setWorkerState how a ban reaches the worker's state */
    Standings(BiConsumer<WorkerId, WorkerState> setWorkerState) {
        this.setWorkerState = setWorkerState;
    }

    KeyTrust get(WorkerId worker) {
        KeyTrust t = standing.get(worker);
        return t != null ? t : KeyTrust.newcomer(worker);
    }

    @Override
    public Map<WorkerId, KeyTrust> read(Collection<WorkerId> workers) {
        Map<WorkerId, KeyTrust> out = new HashMap<>();
        for (WorkerId w : workers) {
            out.put(w, get(w));
        }
        return out;
    }

    @Override
    public KeyTrust update(WorkerId worker, UnaryOperator<KeyTrust> change) {
        KeyTrust before = get(worker);
        KeyTrust after = change.apply(before);
        if (!after.worker().equals(worker)) {
            throw new IllegalArgumentException("a change of " + worker + "'s standing returned " + after.worker()
                    + "'s");
        }
        standing.put(worker, after);
        if (after.banned() && !before.banned()) {
            setWorkerState.accept(worker, WorkerState.BANNED);
        }
        return after;
    }

    /** Notes that {@code worker} gave a valid answer to job {@code jobId}. */
    void answered(WorkerId worker, long jobId) {
        answered.computeIfAbsent(worker, w -> new TreeSet<>()).add(jobId);
    }

    /** @return up to {@code limit} ids of jobs {@code worker} answered validly, above {@code after}, ascending */
    List<Long> answeredAfter(WorkerId worker, long after, int limit) {
        NavigableSet<Long> ids = answered.get(worker);
        List<Long> out = new ArrayList<>();
        if (ids == null) {
            return out;
        }
        for (Long id : ids.tailSet(after, false)) {
            if (out.size() == limit) {
                break;
            }
            out.add(id);
        }
        return out;
    }

    /** Drops an id of a job the store no longer holds. */
    void forget(WorkerId worker, long jobId) {
        NavigableSet<Long> ids = answered.get(worker);
        if (ids != null) {
            ids.remove(jobId);
        }
    }

    /** Backtracks one page of a banned key's answers; see {@link dev.muster.spi.store.Store#backtrack}. */
    Backtrack backtrack(WorkerId worker, JobId after, int limit, Instant now, TrustPolicy policy,
                        Function<JobId, JobRec> jobs, JobLifecycle lifecycle, Mirror mirror) {
        List<Retraction> retracted = new ArrayList<>();
        List<Long> ids = answeredAfter(worker, after == null ? 0 : after.value(), limit);
        JobId last = after;
        for (long id : ids) {
            last = new JobId(id);
            JobRec job = jobs.apply(last);
            if (job == null) {
                forget(worker, id);
            } else if (reliesOn(job, worker)) {
                Retraction r = lifecycle.reconsider(job, now, "key " + worker + " was banned", policy, mirror, this);
                if (r != null) {
                    retracted.add(r);
                }
            }
        }
        boolean done = ids.size() < limit;
        if (done && get(worker).banned()) {
            update(worker, t -> t.markBacktracked(now));
        }
        return new Backtrack(retracted, last, done);
    }

    /** @return whether the job is accepted on a digest that a valid result of {@code worker} agreed with */
    private static boolean reliesOn(JobRec job, WorkerId worker) {
        if (job.state() != JobState.ACCEPTED) {
            return false;
        }
        for (StoredResult r : job.results()) {
            if (r.valid() && r.worker().equals(worker) && r.resultDigest().equals(job.acceptedDigest())) {
                return true;
            }
        }
        return false;
    }

    List<KeyTrust> toBacktrack(int limit) {
        return standing.values().stream().filter(t -> t.banned() && !t.backtracked())
                .sorted(Comparator.comparing(KeyTrust::bannedAt).thenComparing(t -> t.worker().value()))
                .limit(limit).toList();
    }
}
