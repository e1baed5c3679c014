package dev.muster.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.muster.spi.Checks;
import dev.muster.spi.CreditHistory;
import dev.muster.spi.HourlyOutcomes;
import dev.muster.spi.LeaderboardScope;
import dev.muster.spi.OpenJobs;
import dev.muster.spi.OwnerProfile;
import dev.muster.spi.PoolStatus;
import dev.muster.spi.Worker;
import dev.muster.spi.WorkerGroup;
import dev.muster.spi.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reads the pool's status for operators and contributors' public profiles, and keeps each answer
 * a while, so that status pages refreshing every few seconds, several admins, metrics scrapes and
 * anonymous visitors of profiles together cost the store a few reads per interval: the status
 * for {@link #FRESHNESS}, the jobs decided per hour (a day of finished jobs to count) for
 * {@link #HOURS_FRESHNESS}, a profile for {@link #PROFILE_FRESHNESS}. Concurrent callers of a
 * stale answer may each read it once, which is harmless.
 */
final class PoolStatusReads {
    /** How long a status read is reused. */
    static final Duration FRESHNESS = Duration.ofSeconds(2);
    /** How long the jobs decided per hour are reused: the chart's unit is an hour. */
    static final Duration HOURS_FRESHNESS = Duration.ofMinutes(1);
    /** How long an owner's profile is reused. */
    static final Duration PROFILE_FRESHNESS = Duration.ofSeconds(10);
    /** Days of credit history a profile shows. */
    static final int PROFILE_DAYS = 30;
    /** Most workers a profile lists. */
    static final int PROFILE_WORKERS = 200;
    private static final int LATEST_REJECTIONS = 20;
    private static final int PROFILES_KEPT = 1_000;

    private record Kept<T>(Instant at, T value) {
        boolean freshAt(Instant now, Duration freshness) {
            return !now.isBefore(at) && now.isBefore(at.plus(freshness));
        }
    }

    private final Store store;
    private final InstantSource clock;
    private volatile Kept<PoolStatus> status;
    private volatile Kept<List<HourlyOutcomes>> hours;
    /** The profiles read lately, forgotten on the coordinator's clock (maintenance on the caller's thread). */
    private final Cache<String, Optional<OwnerProfile>> profiles;

    PoolStatusReads(Store store, InstantSource clock) {
        this.store = store;
        this.clock = clock;
        this.profiles = Caffeine.newBuilder().expireAfterWrite(PROFILE_FRESHNESS).maximumSize(PROFILES_KEPT)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis())).executor(Runnable::run).build();
    }

    PoolStatus status() {
        Instant now = clock.instant();
        Kept<PoolStatus> last = status;
        if (last != null && last.freshAt(now, FRESHNESS)) {
            return last.value();
        }
        List<OpenJobs> open = store.openJobs().stream()
                .sorted(Comparator.comparing(OpenJobs::type).thenComparing(o -> o.requirements().toString())).toList();
        List<WorkerGroup> groups = store.workerGroups();
        // Degraded workers still lease: only the groups that cannot take work leave a job unmet.
        List<WorkerGroup> leasing = groups.stream().filter(g -> g.state().canLease()).toList();
        List<OpenJobs> unmet = open.stream().filter(o -> o.queued() > 0
                && leasing.stream().noneMatch(g -> o.requirements().satisfiedBy(g.capabilities()))).toList();
        PoolStatus read = new PoolStatus(now, store.summary(), open, groups, lastDay(now), unmet,
                store.rejections(LATEST_REJECTIONS));
        status = new Kept<>(now, read);
        return read;
    }

    private List<HourlyOutcomes> lastDay(Instant now) {
        Kept<List<HourlyOutcomes>> last = hours;
        if (last != null && last.freshAt(now, HOURS_FRESHNESS)) {
            return last.value();
        }
        List<HourlyOutcomes> read = store.finishedPerHour(now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(23)));
        hours = new Kept<>(now, read);
        return read;
    }

    Optional<OwnerProfile> ownerProfile(String owner) {
        Checks.text(owner, "owner", 128);
        return profiles.get(owner, name -> readProfile(name, clock.instant()));
    }

    private Optional<OwnerProfile> readProfile(String owner, Instant now) {
        LocalDate from = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(PROFILE_DAYS - 1);
        List<Worker> workers = store.workersOf(owner, PROFILE_WORKERS + 1);
        List<CreditHistory> own = store.creditHistory(LeaderboardScope.OWNER, List.of(owner), from);
        if (workers.isEmpty() && own.isEmpty() && store.owner(owner).isEmpty()) {
            return Optional.empty();
        }
        boolean more = workers.size() > PROFILE_WORKERS;
        List<Worker> shown = more ? workers.subList(0, PROFILE_WORKERS) : workers;
        Map<String, CreditHistory> byWorker = new HashMap<>();
        store.creditHistory(LeaderboardScope.WORKER, shown.stream().map(w -> w.id().value()).toList(), from)
                .forEach(h -> byWorker.put(h.name(), h));
        List<OwnerProfile.WorkerProfile> profiles = shown.stream().map(w -> {
            CreditHistory h = byWorker.get(w.id().value());
            // Public: whether it takes work, not why not, and its last contact to the hour only.
            return new OwnerProfile.WorkerProfile(w.id(), w.state().canLease(), WorkerGroup.tierOf(w.capabilities()),
                    w.capabilities().cores(), w.capabilities().gpu(), w.lastSeen().truncatedTo(ChronoUnit.HOURS),
                    h == null ? 0 : h.credit(), h == null ? 0 : h.results());
        }).sorted(Comparator.comparingDouble(OwnerProfile.WorkerProfile::credit).reversed()
                .thenComparing(p -> p.id().value())).toList();
        CreditHistory credit = own.isEmpty() ? new CreditHistory(owner, 0, 0, List.of()) : own.get(0);
        return Optional.of(new OwnerProfile(owner, credit, profiles, more));
    }
}
