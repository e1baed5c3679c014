package dev.muster.spi;

/**
 * The store could not complete a call because its database is unavailable (unreachable, closed or
 * full) or too busy to answer in time. Nothing was changed, unless the store says otherwise in the
 * message: store calls are atomic. Transports answer 503, and callers may try again later. A call
 * that failed for a reason of its own is a {@link StoreFailedException} instead.
 *
 * <p>The message is shown to clients, so it says what failed in plain words and never carries
 * SQL, driver messages or class names; the underlying error is the cause, for the server's log.
 */
public final class StoreUnavailableException extends MusterException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, in words fit for clients
     * @param cause   the underlying error
     */
    public StoreUnavailableException(String message, Throwable cause) {
        super(ErrorCode.STORE_UNAVAILABLE, message, cause);
    }
}
