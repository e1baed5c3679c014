package dev.muster.worker;

import dev.muster.spi.ErrorCode;
import dev.muster.spi.MusterException;

/** The coordinator answered with an RFC 9457 problem; the status, type and detail are kept. */
public final class HttpProblemException extends MusterException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final String retryAfter;

    /**
     * @param status     HTTP status
     * @param type       problem type, e.g. {@code /problems/bad-signature}
     * @param detail     the server's explanation
     * @param retryAfter the {@code Retry-After} header, or null
     */
    public HttpProblemException(int status, String type, String detail, String retryAfter) {
        super(ErrorCode.REFUSED, status + " " + type + ": " + detail);
        this.status = status;
        this.type = type;
        this.retryAfter = retryAfter;
    }

    /**
     * Returns {@code http-} and the status, e.g. {@code http-403}, as before failure kinds were an enum.
     *
     * @return the code
     */
    @Override
    public String code() {
        return "http-" + status;
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }

    /** @return the problem type */
    public String type() {
        return type;
    }

    /** @return the {@code Retry-After} header value, or null */
    public String retryAfter() {
        return retryAfter;
    }
}
