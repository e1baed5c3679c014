package dev.muster.store.memory;

import dev.muster.spi.store.PagingContractTest;
import dev.muster.spi.store.Store;

class MemoryStorePagingContractTest extends PagingContractTest {
    @Override
    protected Store newStore() {
        return new MemoryStore();
    }
}
