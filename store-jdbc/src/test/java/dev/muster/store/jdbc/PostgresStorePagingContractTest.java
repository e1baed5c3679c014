package dev.muster.store.jdbc;

import dev.muster.spi.store.PagingContractTest;
import dev.muster.spi.store.Store;
import java.util.Map;

/** The store contract's paging part on a real PostgreSQL server. */
class PostgresStorePagingContractTest extends PagingContractTest {
    @Override
    protected Store newStore() {
        return JdbcStore.open(Map.of("url", TestDatabases.newPostgres(), "poolSize", "4"));
    }
}
