package dev.muster.spi;

/**
 * Root of every exception Muster throws on purpose.
 *
 * <p>Each subclass names what failed; {@link #code()} is a short, stable identifier for the
 * failure kind that transports map to a status code and a problem type, so callers can branch
 * on it without parsing messages.
 */
public class MusterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;

    /**
     * @param code    stable identifier of the failure kind, e.g. {@code "invalid-request"}
     * @param message what failed and why, naming the offending field or value
     */
    public MusterException(String code, String message) {
        super(message);
        this.code = code;
    }

    /**
     * @param code    stable identifier of the failure kind
     * @param message what failed and why
     * @param cause   the underlying failure, kept for diagnosis
     */
    public MusterException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** Stable identifier of the failure kind, e.g. {@code "bad-signature"}. */
    public String code() {
        return code;
    }
}
