package dev.muster.spi;

/**
 * Whether a coordinator can serve requests now, from {@link CoordinatorApi#readiness()}: it is
 * running and its store can serve. Liveness is another matter: a coordinator whose store is away
 * is alive, answers 503 meanwhile, and serves again by itself when the store is back.
 *
 * @param ready  whether requests can be served now
 * @param reason why not, in plain words safe to show to anyone (no SQL, class names or stack
 *               traces); null when ready
 */
public record Readiness(boolean ready, String reason) {

    /** Ready to serve. */
    public static final Readiness READY = new Readiness(true, null);

    /**
     * Checks the readiness and drops the reason of a coordinator that is ready.
     *
     * @param ready  whether requests can be served now
     * @param reason why not; required when not ready, ignored when ready
     * @throws IllegalArgumentException if a coordinator that is not ready gives no reason
     */
    public Readiness {
        if (!ready && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("a coordinator that is not ready must say why");
        }
        if (ready) {
            reason = null;
        }
    }

    /**
     * Returns a readiness that is not ready.
     *
     * @param reason why the coordinator cannot serve
     * @return a readiness that is not ready
     */
    public static Readiness notReady(String reason) {
        return new Readiness(false, reason);
    }
}
