package dev.muster.spi;

/** Whether an owner account may run workers. */
public enum OwnerState {
    /** Its workers may register and work. */
    ACTIVE,
    /** Banned: every key of it is banned, and no new key of it registers. */
    BANNED
}
