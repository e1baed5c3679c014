package dev.muster.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The public face of a contributor: its credit all time and per day, and its workers with theirs.
 * Holds nothing a volunteer would keep private: no addresses, keys, labels beyond a tier, memory
 * or client builds; whether a worker takes work, not why not (a drain or a ban); its last contact
 * to the hour.
 *
 * @param name         the owner name
 * @param credit       all time, and per UTC day over the last 30 days
 * @param workers      its workers, highest credit first: the first 200 by worker id, if it has more
 * @param moreWorkers  whether it has more workers than are listed
 */
public record OwnerProfile(String name, CreditHistory credit, List<WorkerProfile> workers, boolean moreWorkers) {
    /**
     * Copies the workers.
     *
     * @param name        the owner name; not null
     * @param credit      its credit history; not null
     * @param workers     its workers as listed; not null
     * @param moreWorkers whether it has more workers than are listed
     */
    public OwnerProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(credit, "credit");
        workers = List.copyOf(workers);
    }

    /**
     * One worker of an owner, as anyone may see it.
     *
     * @param id          the worker id
     * @param active      whether it takes work now ({@link WorkerState#canLease()})
     * @param tier        its tier ({@link WorkerGroup#tierOf})
     * @param cores       cores it offers
     * @param gpu         whether it offers a GPU
     * @param lastContact the hour of its last sign of life
     * @param credit      its credit, all time
     * @param results     its accepted results, all time
     */
    public record WorkerProfile(WorkerId id, boolean active, String tier, int cores, boolean gpu,
                                Instant lastContact, double credit, long results) {}
}
