package dev.muster.store.jdbc;

import dev.muster.spi.store.LimitsContractTest;
import dev.muster.spi.store.Store;
import java.util.Map;

/** The store contract's limits part on a real PostgreSQL server. */
class PostgresStoreLimitsContractTest extends LimitsContractTest {
    @Override
    protected Store newStore() {
        return JdbcStore.open(Map.of("url", TestDatabases.newPostgres(), "poolSize", "4"));
    }
}
