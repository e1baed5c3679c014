package dev.muster.store.jdbc;

import dev.muster.spi.store.PagingContractTest;
import dev.muster.spi.store.Store;
import java.util.Map;

/** The store contract's paging part on embedded H2. */
class H2StorePagingContractTest extends PagingContractTest {
    @Override
    protected Store newStore() {
        return JdbcStore.open(Map.of("url", TestDatabases.newH2(), "poolSize", "4"));
    }
}
