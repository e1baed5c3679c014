package dev.muster.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The public face of a contributor: its credit all time and per day, and its workers with theirs.
 * Holds nothing secret: no addresses, keys, labels beyond a tier, or client builds.
 *
 * @param name    the owner name
 * @param credit  all time, and per UTC day over the last 30 days
 * @param workers its workers, highest credit first (at most 200)
 */
public record OwnerProfile(String name, CreditHistory credit, List<WorkerProfile> workers) {
    /** Copies the workers. */
    public OwnerProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(credit, "credit");
        workers = List.copyOf(workers);
    }

    /**
     * One worker of an owner, as anyone may see it.
     *
     * @param id          the worker id
     * @param state       its state
     * @param tier        its tier ({@link WorkerGroup#tierOf})
     * @param cores       cores it offers
     * @param gpu         whether it offers a GPU
     * @param lastContact its last sign of life
     * @param credit      its credit, all time
     * @param results     its accepted results, all time
     */
    public record WorkerProfile(WorkerId id, WorkerState state, String tier, int cores, boolean gpu,
                                Instant lastContact, double credit, long results) {}
}
