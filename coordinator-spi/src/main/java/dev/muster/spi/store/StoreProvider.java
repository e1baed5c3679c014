package dev.muster.spi.store;

import dev.muster.spi.ConfigurationException;
import dev.muster.spi.Plugin;
import java.util.Map;

/** Opens a {@link Store} from settings; found with {@link java.util.ServiceLoader} by {@link #name()}. */
public interface StoreProvider extends Plugin {
    /**
     * Returns the open store, which the caller closes.
     *
     * @param settings the store's settings, without their {@code store.} prefix
     * @return the open store, which the caller closes
     * @throws ConfigurationException if a setting is missing or malformed
     */
    Store open(Map<String, String> settings);
}
