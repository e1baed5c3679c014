package dev.muster.spi;

/** An owner account cannot be created because one of that name exists already. */
public final class OwnerExistsException extends MusterException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which name
     */
    public OwnerExistsException(String message) {
        super(ErrorCode.OWNER_EXISTS, message);
    }
}
