package dev.muster.store.jdbc;

import dev.muster.spi.store.LimitsContractTest;
import dev.muster.spi.store.Store;
import java.util.Map;

/** The store contract's limits part on embedded SQLite. */
class SqliteStoreLimitsContractTest extends LimitsContractTest {
    @Override
    protected Store newStore() {
        return JdbcStore.open(Map.of("url", TestDatabases.newSqlite(), "poolSize", "4"));
    }
}
