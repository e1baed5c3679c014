package dev.muster.benchmarks.sabotage;

import dev.muster.spi.WorkerId;

/** One key the simulator plays, and what it did so far. */
final class Key {
    final WorkerId id;
    final Adversary adversary;
    final String owner;
    final boolean rare;
    long results;
    boolean cheated;

    Key(WorkerId id, Adversary adversary, String owner, boolean rare) {
        this.id = id;
        this.adversary = adversary;
        this.owner = owner;
        this.rare = rare;
    }
}
