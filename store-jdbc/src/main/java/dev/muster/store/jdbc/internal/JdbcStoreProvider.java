package dev.muster.store.jdbc.internal;

import dev.muster.spi.store.Store;
import dev.muster.spi.store.StoreProvider;
import dev.muster.store.jdbc.JdbcStore;
import java.util.Map;

/** Opens a {@link JdbcStore} by the name {@code jdbc}; the settings are those of {@link JdbcStore#open(Map)}. */
public final class JdbcStoreProvider implements StoreProvider {
    @Override
    public String name() {
        return "jdbc";
    }

    @Override
    public Store open(Map<String, String> settings) {
        return JdbcStore.open(settings);
    }
}
