package dev.muster.store.jdbc;

import dev.muster.spi.store.JobLifecycle;
import dev.muster.spi.store.Store;
import dev.muster.spi.store.StoreContractTest;
import java.util.Map;

/** The store contract on embedded SQLite. */
class SqliteStoreContractTest extends StoreContractTest {
    @Override
    protected Store newStore() {
        return JdbcStore.open(Map.of("url", TestDatabases.newSqlite(), "poolSize", "12"));
    }

    @Override
    protected Store newStore(JobLifecycle lifecycle) {
        return TestDatabases.open(TestDatabases.newSqlite(), lifecycle);
    }
}
