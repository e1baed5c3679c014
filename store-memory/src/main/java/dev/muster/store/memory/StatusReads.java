package dev.muster.store.memory;

import dev.muster.spi.Capabilities;
import dev.muster.spi.CreditHistory;
import dev.muster.spi.HourlyOutcomes;
import dev.muster.spi.JobState;
import dev.muster.spi.LeaderboardScope;
import dev.muster.spi.OpenJobs;
import dev.muster.spi.Requirements;
import dev.muster.spi.Worker;
import dev.muster.spi.WorkerGroup;
import dev.muster.spi.WorkerState;
import dev.muster.spi.policy.StoredResult;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The status reads of a {@link MemoryStore}: open jobs by type and requirements, workers by state
 * and capabilities, outcomes per hour and credit histories. Each passes over the unfinished jobs,
 * the workers, or the jobs finished since the hour asked for, never the whole history; callers
 * hold the store's lock.
 */
final class StatusReads {
    private StatusReads() {}

    private record TypeClass(String type, Requirements requirements) {}

    /** A group: memory is left out, and the group keeps the most any member offers. */
    private record StateCaps(WorkerState state, int cores, boolean gpu, java.util.Set<String> labels) {}

    static List<OpenJobs> openJobs(Collection<JobRec> jobs) {
        Map<TypeClass, long[]> counts = new HashMap<>();
        Map<TypeClass, Instant> oldest = new HashMap<>();
        for (JobRec job : jobs) {
            if (job.state().isFinal()) {
                continue;
            }
            TypeClass key = new TypeClass(job.spec().type(), job.spec().requirements());
            long[] c = counts.computeIfAbsent(key, k -> new long[3]);
            if (job.state() == JobState.QUEUED) {
                c[0]++;
                oldest.merge(key, job.submittedAt(), (a, b) -> a.isBefore(b) ? a : b);
            } else {
                c[1]++;
                if (job.results().stream().anyMatch(StoredResult::valid)) {
                    c[2]++;
                }
            }
        }
        List<OpenJobs> out = new ArrayList<>(counts.size());
        counts.forEach((k, c) -> out.add(new OpenJobs(k.type(), k.requirements(), c[0], c[1], c[2], oldest.get(k))));
        return out;
    }

    static List<WorkerGroup> workerGroups(Collection<Worker> workers, LeaseIndex leases) {
        Map<StateCaps, long[]> counts = new HashMap<>();
        Map<StateCaps, Instant> latest = new HashMap<>();
        for (Worker w : workers) {
            Capabilities caps = w.capabilities();
            StateCaps key = new StateCaps(w.state(), caps.cores(), caps.gpu(), caps.labels());
            long[] c = counts.computeIfAbsent(key, k -> new long[4]);
            c[0]++;
            c[1] += w.maxConcurrentLeases();
            c[2] += leases.heldBy(w.id());
            c[3] = Math.max(c[3], caps.memoryMb());
            latest.merge(key, w.lastSeen(), (a, b) -> a.isAfter(b) ? a : b);
        }
        List<WorkerGroup> out = new ArrayList<>(counts.size());
        counts.forEach((k, c) -> out.add(new WorkerGroup(k.state(), new Capabilities(k.cores(), c[3], k.gpu(),
                k.labels()), c[0], c[1], c[2], latest.get(k))));
        return out;
    }

    /**
     * Walks the finished jobs from the latest back, and stops a minute before the first hour: the
     * retention order is the finishing order (a retracted job leaves it and joins again when it
     * finishes anew), but for callers whose clock reading reached the lock a little out of order.
     */
    static List<HourlyOutcomes> finishedPerHour(Iterator<JobRec> latestFirst, Instant since) {
        Instant from = since.truncatedTo(ChronoUnit.HOURS);
        Instant stop = from.minus(ChronoUnit.MINUTES.getDuration());
        TreeMap<Instant, long[]> hours = new TreeMap<>();
        while (latestFirst.hasNext()) {
            JobRec job = latestFirst.next();
            Instant at = job.finishedAt();
            if (at != null && at.isBefore(stop)) {
                break;
            }
            if (at == null || at.isBefore(from)) {
                continue;
            }
            if (job.state() == JobState.ACCEPTED || job.state() == JobState.FAILED) {
                hours.computeIfAbsent(at.truncatedTo(ChronoUnit.HOURS), k -> new long[2])
                        [job.state() == JobState.ACCEPTED ? 0 : 1]++;
            }
        }
        List<HourlyOutcomes> out = new ArrayList<>(hours.size());
        hours.forEach((hour, c) -> out.add(new HourlyOutcomes(hour, c[0], c[1])));
        return out;
    }

    static List<CreditHistory> creditHistory(Ledger ledger, LeaderboardScope scope, Collection<String> names,
                                             LocalDate fromDay) {
        List<CreditHistory> out = new ArrayList<>();
        for (String name : new java.util.LinkedHashSet<>(names)) {
            CreditHistory h = ledger.history(scope, name, fromDay);
            if (h != null) {
                out.add(h);
            }
        }
        return out;
    }
}
