package dev.muster.core;

import dev.muster.spi.Checks;
import dev.muster.spi.CreditHistory;
import dev.muster.spi.LeaderboardScope;
import dev.muster.spi.OpenJobs;
import dev.muster.spi.OwnerProfile;
import dev.muster.spi.PoolStatus;
import dev.muster.spi.Worker;
import dev.muster.spi.WorkerGroup;
import dev.muster.spi.WorkerState;
import dev.muster.spi.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the pool's status for operators and contributors' public profiles. The status is kept for
 * {@link #FRESHNESS}, so that status pages refreshing every few seconds, several admins and a
 * metrics scrape together cost the store a few reads per interval; concurrent callers of a stale
 * status may each read it once, which is harmless.
 */
final class PoolStatusReads {
    /** How long a status read is reused. */
    static final Duration FRESHNESS = Duration.ofSeconds(2);
    /** Days of credit history a profile shows. */
    static final int PROFILE_DAYS = 30;
    /** Most workers a profile lists. */
    static final int PROFILE_WORKERS = 200;
    private static final int LATEST_REJECTIONS = 20;

    private final Store store;
    private final InstantSource clock;
    private volatile PoolStatus kept;

    PoolStatusReads(Store store, InstantSource clock) {
        this.store = store;
        this.clock = clock;
    }

    PoolStatus status() {
        Instant now = clock.instant();
        PoolStatus last = kept;
        if (last != null && !now.isBefore(last.at()) && now.isBefore(last.at().plus(FRESHNESS))) {
            return last;
        }
        List<OpenJobs> open = store.openJobs().stream()
                .sorted(Comparator.comparing(OpenJobs::type).thenComparing(o -> o.requirements().toString())).toList();
        List<WorkerGroup> groups = store.workerGroups();
        List<WorkerGroup> active = groups.stream().filter(g -> g.state() == WorkerState.ACTIVE).toList();
        List<OpenJobs> unmet = open.stream().filter(o -> o.queued() > 0
                && active.stream().noneMatch(g -> o.requirements().satisfiedBy(g.capabilities()))).toList();
        PoolStatus status = new PoolStatus(now, store.summary(), open, groups,
                store.finishedPerHour(now.minus(Duration.ofHours(23))), unmet, store.rejections(LATEST_REJECTIONS));
        kept = status;
        return status;
    }

    Optional<OwnerProfile> ownerProfile(String owner) {
        Checks.text(owner, "owner", 128);
        LocalDate from = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(PROFILE_DAYS - 1);
        List<Worker> workers = store.workersOf(owner, PROFILE_WORKERS);
        List<CreditHistory> own = store.creditHistory(LeaderboardScope.OWNER, List.of(owner), from);
        if (workers.isEmpty() && own.isEmpty() && store.owner(owner).isEmpty()) {
            return Optional.empty();
        }
        Map<String, CreditHistory> byWorker = new HashMap<>();
        store.creditHistory(LeaderboardScope.WORKER, workers.stream().map(w -> w.id().value()).toList(), from)
                .forEach(h -> byWorker.put(h.name(), h));
        List<OwnerProfile.WorkerProfile> profiles = workers.stream().map(w -> {
            CreditHistory h = byWorker.get(w.id().value());
            return new OwnerProfile.WorkerProfile(w.id(), w.state(), WorkerGroup.tierOf(w.capabilities()),
                    w.capabilities().cores(), w.capabilities().gpu(), w.lastSeen(), h == null ? 0 : h.credit(),
                    h == null ? 0 : h.results());
        }).sorted(Comparator.comparingDouble(OwnerProfile.WorkerProfile::credit).reversed()
                .thenComparing(p -> p.id().value())).toList();
        CreditHistory credit = own.isEmpty() ? new CreditHistory(owner, 0, 0, List.of()) : own.get(0);
        return Optional.of(new OwnerProfile(owner, credit, profiles));
    }
}
