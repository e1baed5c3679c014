package dev.muster.spi;

/**
 * The store could not complete a call (its database is unreachable, or kept failing after
 * retries). Nothing was changed: store calls are atomic. Transports answer 503, and callers may
 * try again later.
 */
public final class StoreUnavailableException extends MusterException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed
     * @param cause   the underlying error
     */
    public StoreUnavailableException(String message, Throwable cause) {
        super("store-unavailable", message, cause);
    }
}
