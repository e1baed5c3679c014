package dev.muster.store.jdbc;

import dev.muster.spi.store.LimitsContractTest;
import dev.muster.spi.store.Store;
import java.util.Map;

/** The store contract's limits part on embedded H2. */
class H2StoreLimitsContractTest extends LimitsContractTest {
    @Override
    protected Store newStore() {
        return JdbcStore.open(Map.of("url", TestDatabases.newH2(), "poolSize", "4"));
    }
}
