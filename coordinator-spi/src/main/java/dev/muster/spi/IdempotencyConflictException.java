package dev.muster.spi;

/**
 * A job reuses an idempotency key that already names a job with different content. Resubmitting
 * the same content under the same key is not an error: it returns the existing job.
 */
public final class IdempotencyConflictException extends InvalidRequestException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the key and both digests
     */
    public IdempotencyConflictException(String message) {
        super(ErrorCode.IDEMPOTENCY_CONFLICT, message);
    }
}
