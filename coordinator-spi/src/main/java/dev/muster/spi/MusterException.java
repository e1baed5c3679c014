package dev.muster.spi;

/**
 * Root of every exception Muster throws on purpose.
 *
 * <p>Each subclass names what failed; {@link #error()} is the failure kind, which transports map
 * to a status code and a problem type, so callers can branch on it without parsing messages.
 */
public class MusterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The failure kind, kept with the exception so that a transport can map it without the message. */
    private final ErrorCode error;

    /**
     * Makes an exception of one failure kind.
     *
     * @param error   the failure kind
     * @param message what failed and why, naming the offending field or value
     */
    public MusterException(ErrorCode error, String message) {
        super(message);
        this.error = java.util.Objects.requireNonNull(error, "error");
    }

    /**
     * Makes an exception of one failure kind with its cause.
     *
     * @param error   the failure kind
     * @param message what failed and why
     * @param cause   the underlying failure, kept for diagnosis
     */
    public MusterException(ErrorCode error, String message, Throwable cause) {
        super(message, cause);
        this.error = java.util.Objects.requireNonNull(error, "error");
    }

    /**
     * Returns the failure kind.
     *
     * @return the kind, never null
     */
    public ErrorCode error() {
        return error;
    }

    /**
     * Returns the failure kind's stable code, e.g. {@code "bad-signature"}.
     *
     * @return {@code error().code()}
     */
    public String code() {
        return error.code();
    }
}
