package dev.muster.store.memory;

import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.JobQuery;
import dev.muster.spi.JobState;
import dev.muster.spi.IdempotencyConflictException;
import dev.muster.spi.store.NewJob;
import dev.muster.spi.store.Submitted;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The jobs of a {@link MemoryStore} by id, by idempotency key and in listing order, with a count
 * per state; guarded by the store's lock.
 *
 * <p>Finished jobs are kept until {@code retainFinished} is exceeded, then dropped oldest first
 * (with their idempotency keys, so resubmitting such a job creates a new one). Listeners have
 * long since received their results; the bound keeps a long-running pool's heap flat.
 */
final class JobTable {
    private final HashMap<Long, JobRec> byId = new HashMap<>();
    private final HashMap<DedupKey, JobRec> byKey = new HashMap<>();
    private final JobIndex index = new JobIndex();
    private final ArrayDeque<JobRec> finished = new ArrayDeque<>();
    /** Jobs not finished, so that status reads pass over the work in progress, not the history. */
    private final java.util.LinkedHashSet<JobRec> open = new java.util.LinkedHashSet<>();
    /** Spot-checks by the id of the job they repeat, oldest first. */
    private final HashMap<Long, List<JobId>> checksBySource = new HashMap<>();
    private final long[] counts = new long[JobState.values().length];
    private final long retainFinished;
    private long nextId = 1;

    JobTable(long retainFinished) {
        this.retainFinished = retainFinished;
    }

    /** @return the job, or null */
    JobRec get(JobId id) {
        return byId.get(id.value());
    }

    /** @return the job stored under {@code key}, or null */
    JobRec get(DedupKey key) {
        return byKey.get(key);
    }

    /** Stores a new, queued job under the next id. @return the job */
    JobRec add(NewJob n, DedupKey key, ReadyQueue.ClassQueue queueClass) {
        JobRec job = new JobRec(new JobId(nextId++), n.spec(), n.digest(), n.payloadDigest(), key, n.replicas(),
                n.submittedAt(), queueClass);
        if (n.spotCheck() != null) {
            job.spotCheck(n.spotCheck());
            checksBySource.computeIfAbsent(n.spotCheck().source().value(), k -> new ArrayList<>(1)).add(job.id());
            JobRec source = byId.get(n.spotCheck().source().value());
            if (source != null) {
                job.sawSeed = source.owners();
            }
        }
        byId.put(job.id().value(), job);
        open.add(job);
        index.add(job);
        byKey.put(key, job);
        counts[JobState.QUEUED.ordinal()]++;
        return job;
    }

    /**
     * Stores a batch as {@link dev.muster.spi.store.Store#submit} describes, queueing each new job:
     * duplicates and conflicts are resolved first, so that a conflict changes nothing.
     *
     * @return one entry per job, in order
     */
    List<Submitted> submit(List<NewJob> newJobs, ReadyQueue queue) {
        // First pass: resolve duplicates and conflicts, so a conflict changes nothing.
        int size = newJobs.size();
        DedupKey[] keys = new DedupKey[size];
        JobRec[] existing = new JobRec[size];
        // Index of the first job in this batch with the same key, for duplicates within the batch.
        int[] firstInBatch = new int[size];
        Map<DedupKey, Integer> inBatch = size == 1 ? Map.of() : new HashMap<>(size * 2);
        for (int i = 0; i < size; i++) {
            NewJob n = newJobs.get(i);
            keys[i] = DedupKey.of(n);
            JobRec earlier = get(keys[i]);
            if (earlier != null) {
                checkSameContent(n, earlier.digest());
                existing[i] = earlier;
            }
            firstInBatch[i] = i;
            if (size > 1) {
                Integer first = inBatch.putIfAbsent(keys[i], i);
                if (first != null) {
                    firstInBatch[i] = first;
                    if (earlier == null) {
                        checkSameContent(n, newJobs.get(first).digest());
                    }
                }
            }
        }
        List<Submitted> out = new ArrayList<>(size);
        JobRec[] created = new JobRec[size];
        for (int i = 0; i < size; i++) {
            NewJob n = newJobs.get(i);
            if (existing[i] != null) {
                out.add(new Submitted(existing[i].snapshot(), false));
                continue;
            }
            if (firstInBatch[i] != i) {
                out.add(new Submitted(created[firstInBatch[i]].snapshot(), false));
                continue;
            }
            JobRec job = add(n, keys[i], queue.classFor(n.spec().requirements()));
            created[i] = job;
            queue.enqueue(job, false);
            out.add(new Submitted(job.snapshot(), true));
        }
        return out;
    }

    private static void checkSameContent(NewJob n, String earlierDigest) {
        if (n.spec().idempotencyKey() != null && !earlierDigest.equals(n.digest())) {
            throw new IdempotencyConflictException("idempotency key '" + n.spec().idempotencyKey()
                    + "' of submitter '" + n.spec().submitter() + "' already names a job with digest "
                    + earlierDigest + ", not " + n.digest());
        }
    }

    /** @return the jobs the query lists */
    List<Job> find(JobQuery query) {
        return index.find(query);
    }

    void stateChanged(JobState from, JobState to) {
        counts[from.ordinal()]--;
        counts[to.ordinal()]++;
    }

    /** Keeps a job that reached a final state, dropping the oldest finished ones beyond the bound. */
    void finished(JobRec job) {
        open.remove(job);
        finished.addLast(job);
        while (finished.size() > retainFinished) {
            JobRec old = finished.pollFirst();
            byId.remove(old.id().value());
            index.remove(old);
            counts[old.state().ordinal()]--;
            byKey.remove(old.dedupKey, old);
            checksBySource.remove(old.id().value());
            if (old.spotCheck() != null) {
                List<JobId> siblings = checksBySource.get(old.spotCheck().source().value());
                if (siblings != null && siblings.remove(old.id()) && siblings.isEmpty()) {
                    checksBySource.remove(old.spotCheck().source().value());
                }
            }
        }
    }

    /** @return up to {@code limit} spot-checks repeating {@code source} that are still kept, oldest first */
    List<JobId> spotChecksOf(JobId source, int limit) {
        List<JobId> checks = checksBySource.getOrDefault(source.value(), List.of());
        return List.copyOf(checks.subList(0, Math.min(limit, checks.size())));
    }

    /**
     * Takes a job whose acceptance was retracted out of the retention order, so that it is not
     * dropped while it runs again; it joins the order anew when it finishes. Linear in the
     * retained jobs, which retractions (rare) can afford.
     */
    void unfinished(JobRec job) {
        finished.remove(job);
        open.add(job);
    }

    /** @return the jobs not finished, in no order (a live view: read it under the store's lock) */
    java.util.Collection<JobRec> open() {
        return open;
    }

    /** @return the finished jobs kept, latest to finish first (a live view: read it under the store's lock) */
    java.util.Iterator<JobRec> finishedLatestFirst() {
        return finished.descendingIterator();
    }

    /** @return how many jobs are in each state */
    Map<JobState, Long> counts() {
        Map<JobState, Long> out = new EnumMap<>(JobState.class);
        for (JobState s : JobState.values()) {
            out.put(s, counts[s.ordinal()]);
        }
        return out;
    }
}
