package dev.muster.spi.store;

/**
 * What a store says about whether it can serve calls, from {@link Store#checkHealth()}.
 *
 * @param available whether the store can serve calls now
 * @param reason    why not, in plain words for operators and clients (never SQL, class names or
 *                  stack traces); null when available
 * @param outages   how many times the store has found itself unable to serve since it was opened;
 *                  a caller that sees this number change learns that an outage began and ended
 *                  since it last asked, even one too short to see
 */
public record StoreHealth(boolean available, String reason, long outages) {

    /** A store that cannot fail, such as one in memory: always available, never an outage. */
    public static final StoreHealth ALWAYS_UP = new StoreHealth(true, null, 0);

    /**
     * Checks the health and drops the reason of an available store.
     *
     * @param available whether the store can serve calls now
     * @param reason    why not; required when unavailable, ignored when available
     * @param outages   outages since the store was opened, not negative
     * @throws IllegalArgumentException if an unavailable store gives no reason, or outages is negative
     */
    public StoreHealth {
        if (!available && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("an unavailable store must say why");
        }
        if (outages < 0) {
            throw new IllegalArgumentException("outages must not be negative, was " + outages);
        }
        if (available) {
            reason = null;
        }
    }
}
