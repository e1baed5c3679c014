package dev.muster.spi;

/** A signature does not verify against the key it claims, or the signed material is stale. */
public final class BadSignatureException extends MusterException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was signed and by whom
     */
    public BadSignatureException(String message) {
        super(ErrorCode.BAD_SIGNATURE, message);
    }
}
