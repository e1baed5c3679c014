package dev.muster.spi;

/**
 * Anything Muster can find by name through {@link java.util.ServiceLoader}: stores, trust
 * policies, validators. Names are short and lower-case ({@code memory}, {@code allowlist}).
 */
public interface Plugin {
    /**
     * Returns the short name configuration refers to this plug-in by.
     *
     * @return the short name configuration refers to this plug-in by
     */
    String name();
}
