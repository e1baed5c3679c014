package dev.muster.benchmarks.sabotage;

/** How a saboteur answers; honest workers are the {@link #HONEST} case. Each strategy is one of OPEN-POOLS.md's. */
enum Adversary {
    HONEST,
    /** Wrong with probability s on every job, from the first. */
    STATIONARY,
    /** Honest while it builds history, then wrong with probability s. */
    SLEEPER,
    /** Copies a colluder's wrong answer to the same job; honest once an honest answer is in; else wrong at s. */
    FOLLOWER,
    /** Wrong at s, but only when every replica of the job issued so far went to the cartel (it learns this out of band). */
    COASSIGNED,
    /**
     * Wrong at s when every replica so far went to the cartel, like {@link #COASSIGNED}, and it times
     * its leases: right after a key of the cartel answers a job wrong, a key of another of its owners
     * leases, to catch that job's next replica. Its share of the work stays f.
     */
    STEERING,
    /** Honest while it builds history, then wrong once, then back under a new key and owner account. */
    HIT_AND_RUN,
    /** Wrong at s, except on the share {@code d} of spot-checks it recognises, which it answers right. */
    SPOT_CHECK_DETECTOR,
    /** Wrong at s, with every key under an owner account of its own, where honest people run several keys each. */
    SYBIL,
    /** Claims the rare capability a few jobs need, and cheats at s on those jobs only. */
    RARE_CLASS,
    /** Answers wrong exactly when an honest worker has already answered the job, to outvote and strike it. */
    FRAMING,
    /** Garbage every time, under a new key and owner account after each result: a flood, not a cheat. */
    FLOOD;

    /** @return whether s, the sabotage rate, means something to this strategy */
    boolean usesRate() {
        return this != HIT_AND_RUN && this != FLOOD && this != FRAMING && this != HONEST;
    }

    /** @return whether a key of this strategy comes back under a new identity after each result */
    boolean reRegistersAfterEachResult() {
        return this == FLOOD;
    }
}
