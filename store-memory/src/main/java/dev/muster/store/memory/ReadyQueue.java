package dev.muster.store.memory;

import dev.muster.spi.Capabilities;
import dev.muster.spi.Requirements;
import dev.muster.spi.WorkerId;
import dev.muster.spi.store.SpotCheck;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Jobs waiting for workers, arranged so that taking the next job costs O(1) in the number of
 * queued jobs.
 *
 * <p>Jobs are grouped first by their exact {@link Requirements} (a "class"; pools have few), then
 * by priority, then by submitter. A worker looks only at the classes its capabilities satisfy
 * (cached per capability set), takes the highest priority first, and within a priority visits
 * submitters round-robin, one job per turn, so one large batch cannot starve another submitter.
 * Each submitter's jobs are FIFO; a replica retried after a lost lease goes back to the front,
 * replicas a trust policy added go to the back (so the next worker to ask does not get them).
 *
 * <p>Jobs that finish or are cancelled while queued are dropped lazily when a scan meets them.
 * A scan looks at most {@link #SCAN_LIMIT} jobs of one submitter that the worker may not take
 * (it already holds or answered a replica of them) before moving on.
 *
 * <p>Not thread-safe: the store's lock guards it.
 */
final class ReadyQueue {
    static final int SCAN_LIMIT = 256;

    private final Map<Requirements, ClassQueue> classes = new LinkedHashMap<>();
    private final Map<Capabilities, ClassQueue[]> compatible = new HashMap<>();
    private Requirements lastRequirements;
    private ClassQueue lastClass;

    /** Jobs with the same requirements. */
    static final class ClassQueue {
        final Requirements requirements;
        final TreeMap<Integer, Level> levels = new TreeMap<>(Comparator.reverseOrder());

        ClassQueue(Requirements requirements) {
            this.requirements = requirements;
        }
    }

    /** Jobs of one class and one priority, by submitter. */
    static final class Level {
        final ClassQueue owner;
        final int priority;
        final ArrayDeque<SubmitterQueue> rotation = new ArrayDeque<>();
        final HashMap<String, SubmitterQueue> bySubmitter = new HashMap<>();

        Level(ClassQueue owner, int priority) {
            this.owner = owner;
            this.priority = priority;
        }
    }

    static final class SubmitterQueue {
        final String submitter;
        final ArrayDeque<JobRec> jobs = new ArrayDeque<>();

        SubmitterQueue(String submitter) {
            this.submitter = submitter;
        }
    }

    ClassQueue classFor(Requirements requirements) {
        // Most jobs of a batch share one Requirements instance; hashing a record is not free.
        if (requirements == lastRequirements) {
            return lastClass;
        }
        ClassQueue c = classes.get(requirements);
        if (c == null) {
            c = new ClassQueue(requirements);
            classes.put(requirements, c);
            compatible.clear();
        }
        lastRequirements = requirements;
        lastClass = c;
        return c;
    }

    /** Puts a job with open replicas in line: at the back, or at the front for a retry after a lost lease. */
    void enqueue(JobRec job, boolean front) {
        if (job.queued) {
            return;
        }
        job.queued = true;
        Level level = job.queueClass.levels.computeIfAbsent(job.spec().priority(), p -> new Level(job.queueClass, p));
        SubmitterQueue q = level.bySubmitter.get(job.spec().submitter());
        if (q == null) {
            q = new SubmitterQueue(job.spec().submitter());
            level.bySubmitter.put(q.submitter, q);
            level.rotation.addLast(q);
        }
        if (front) {
            q.jobs.addFirst(job);
        } else {
            q.jobs.addLast(job);
        }
    }

    /**
     * Takes up to {@code max} replicas for a worker, one replica per call of {@code sink}.
     *
     * @return how many were taken
     */
    int take(Capabilities capabilities, WorkerId worker, String owner, boolean distinctOwners,
             boolean onlySpotChecks, int max, Sink sink) {
        ClassQueue[] candidates = compatible.computeIfAbsent(capabilities, this::compatibleWith);
        if (candidates.length == 0 || max <= 0) {
            return 0;
        }
        List<Level> levels = levelsByPriority(candidates);
        int taken = 0;
        for (Level level : levels) {
            taken += onlySpotChecks ? takeSpotChecks(level, worker, owner, distinctOwners, max - taken, sink)
                    : takeFromLevel(level, worker, owner, distinctOwners, max - taken, sink);
            if (taken >= max) {
                break;
            }
        }
        return taken;
    }

    /** Receives each job a worker takes a replica of. */
    interface Sink {
        void take(JobRec job);
    }

    private ClassQueue[] compatibleWith(Capabilities capabilities) {
        List<ClassQueue> out = new ArrayList<>();
        for (ClassQueue c : classes.values()) {
            if (c.requirements.satisfiedBy(capabilities)) {
                out.add(c);
            }
        }
        return out.toArray(new ClassQueue[0]);
    }

    private List<Level> levelsByPriority(ClassQueue[] candidates) {
        if (candidates.length == 1) {
            return new ArrayList<>(candidates[0].levels.values());
        }
        List<Level> levels = new ArrayList<>();
        for (ClassQueue c : candidates) {
            levels.addAll(c.levels.values());
        }
        levels.sort((a, b) -> Integer.compare(b.priority, a.priority));
        return levels;
    }

    private int takeFromLevel(Level level, WorkerId worker, String owner, boolean distinctOwners, int max,
                              Sink sink) {
        int taken = 0;
        int misses = 0;
        while (taken < max && !level.rotation.isEmpty() && misses < level.rotation.size()) {
            SubmitterQueue q = level.rotation.pollFirst();
            JobRec job = takeFrom(q, worker, owner, distinctOwners);
            if (q.jobs.isEmpty()) {
                level.bySubmitter.remove(q.submitter);
            } else {
                level.rotation.addLast(q);
            }
            if (job == null) {
                misses++;
            } else {
                misses = 0;
                taken++;
                sink.take(job);
            }
        }
        dropIfEmpty(level);
        return taken;
    }

    /** Levels are found through their class; an empty one would only cost lookups. */
    private static void dropIfEmpty(Level level) {
        if (level.rotation.isEmpty()) {
            level.owner.levels.remove(level.priority, level);
        }
    }

    /** Like {@link #takeFromLevel} for the coordinator's spot-checks alone, which queue as one submitter. */
    private int takeSpotChecks(Level level, WorkerId worker, String owner, boolean distinctOwners, int max,
                               Sink sink) {
        SubmitterQueue q = level.bySubmitter.get(SpotCheck.SUBMITTER);
        if (q == null) {
            return 0;
        }
        int taken = 0;
        JobRec job;
        while (taken < max && (job = takeFrom(q, worker, owner, distinctOwners)) != null) {
            taken++;
            sink.take(job);
        }
        if (q.jobs.isEmpty()) {
            level.bySubmitter.remove(q.submitter);
            level.rotation.remove(q);
            dropIfEmpty(level);
        }
        return taken;
    }

    private static JobRec takeFrom(SubmitterQueue q, WorkerId worker, String owner, boolean distinctOwners) {
        Iterator<JobRec> it = q.jobs.iterator();
        int skipped = 0;
        while (it.hasNext() && skipped < SCAN_LIMIT) {
            JobRec job = it.next();
            if (job.open() <= 0 || job.state().isFinal()) {
                it.remove();
                job.queued = false;
                continue;
            }
            if (!job.eligible(worker, owner, distinctOwners)) {
                skipped++;
                continue;
            }
            job.takeOpenReplica();
            if (job.open() == 0) {
                it.remove();
                job.queued = false;
            }
            return job;
        }
        return null;
    }
}
