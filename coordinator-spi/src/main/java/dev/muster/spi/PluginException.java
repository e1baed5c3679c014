package dev.muster.spi;

/** A plug-in could not be found or loaded; the message names it and lists the providers that were seen. */
public final class PluginException extends MusterException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the plug-in type, the name asked for and what is available
     */
    public PluginException(String message) {
        super(ErrorCode.PLUGIN, message);
    }

    /**
     * Creates the exception.
     *
     * @param message names the plug-in type and provider
     * @param cause   the provider's own failure
     */
    public PluginException(String message, Throwable cause) {
        super(ErrorCode.PLUGIN, message, cause);
    }
}
