package dev.muster.spi;

/**
 * The store failed a call for a reason of its own, not because its database is unavailable or
 * busy: a fault of the server (a bug, or a value the database refused that the API let through).
 * Transports answer 500; trying again will most likely fail the same way.
 *
 * <p>Nothing was changed unless the message says the call may or may not have taken effect (the
 * failure came while committing). The message is shown to clients, so it says what failed in
 * plain words and never carries SQL, driver messages or class names; the underlying error is the
 * cause, for the server's log. Compare {@link StoreUnavailableException}.
 */
public final class StoreFailedException extends MusterException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, in words fit for clients
     * @param cause   the underlying error
     */
    public StoreFailedException(String message, Throwable cause) {
        super(ErrorCode.STORE_FAILED, message, cause);
    }
}
