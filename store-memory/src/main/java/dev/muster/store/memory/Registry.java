package dev.muster.store.memory;

import dev.muster.spi.OwnerAccount;
import dev.muster.spi.OwnerState;
import dev.muster.spi.Worker;
import dev.muster.spi.WorkerId;
import dev.muster.spi.WorkerState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The workers, owner accounts and allowlist of a {@link MemoryStore}, in concurrent maps of their own so that
 * heartbeats and registrations never take the store's lock.
 */
final class Registry {
    private final ConcurrentHashMap<WorkerId, Worker> workers = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<String, OwnerAccount> owners = new ConcurrentSkipListMap<>();
    private final java.util.Set<WorkerId> allowlist = ConcurrentHashMap.newKeySet();

    boolean allowKey(WorkerId id, boolean allowed) {
        return allowed ? allowlist.add(id) : allowlist.remove(id);
    }

    boolean isAllowed(WorkerId id) {
        return allowlist.contains(id);
    }

    Worker save(Worker worker) {
        workers.put(worker.id(), worker);
        return worker;
    }

    Optional<Worker> worker(WorkerId id) {
        return Optional.ofNullable(workers.get(id));
    }

    boolean touch(WorkerId id, Instant at) {
        return workers.computeIfPresent(id, (k, w) -> at.isAfter(w.lastSeen()) ? w.withLastSeen(at) : w) != null;
    }

    Optional<Worker> setState(WorkerId id, WorkerState state) {
        return Optional.ofNullable(workers.computeIfPresent(id, (k, w) -> w.state() == state ? w : w.withState(state)));
    }

    List<Worker> workers(WorkerId after, int limit) {
        return workers.values().stream().filter(w -> after == null || w.id().value().compareTo(after.value()) > 0)
                .sorted(Comparator.comparing(w -> w.id().value())).limit(Math.max(0, limit)).toList();
    }

    List<Worker> silent(WorkerState state, Instant cutoff, int limit) {
        List<Worker> out = new ArrayList<>();
        for (Worker w : workers.values()) {
            if (w.state() == state && w.lastSeen().isBefore(cutoff)) {
                out.add(w);
                if (out.size() >= limit) {
                    break;
                }
            }
        }
        return out;
    }

    /** @return every worker, in no order */
    java.util.Collection<Worker> all() {
        return workers.values();
    }

    List<Worker> workersOf(String owner, int limit) {
        return workers.values().stream().filter(w -> w.owner().equals(owner))
                .sorted(Comparator.comparing(w -> w.id().value())).limit(Math.max(0, limit)).toList();
    }

    /** @return how many workers are in each state, every state present */
    Map<WorkerState, Long> countByState() {
        Map<WorkerState, Long> byState = new EnumMap<>(WorkerState.class);
        for (WorkerState s : WorkerState.values()) {
            byState.put(s, 0L);
        }
        for (Worker w : workers.values()) {
            byState.merge(w.state(), 1L, Long::sum);
        }
        return byState;
    }

    boolean createOwner(OwnerAccount account) {
        return owners.putIfAbsent(account.name(), account) == null;
    }

    Optional<OwnerAccount> owner(String name) {
        return Optional.ofNullable(owners.get(name));
    }

    Optional<OwnerAccount> setOwnerState(String name, OwnerState state, String reason) {
        return Optional.ofNullable(owners.computeIfPresent(name, (k, a) -> a.withState(state, reason)));
    }

    List<OwnerAccount> owners(String afterName, int limit) {
        var tail = afterName == null ? owners : owners.tailMap(afterName, false);
        return tail.values().stream().limit(Math.max(0, limit)).toList();
    }
}
