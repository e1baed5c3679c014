package dev.muster.store.jdbc;

import dev.muster.spi.store.PagingContractTest;
import dev.muster.spi.store.Store;
import java.util.Map;

/** The store contract's paging part on embedded SQLite. */
class SqliteStorePagingContractTest extends PagingContractTest {
    @Override
    protected Store newStore() {
        return JdbcStore.open(Map.of("url", TestDatabases.newSqlite(), "poolSize", "4"));
    }
}
