package dev.muster.store.memory;

import dev.muster.spi.store.Store;
import dev.muster.spi.store.StoreContractTest;

class MemoryStoreContractTest extends StoreContractTest {
    @Override
    protected Store newStore() {
        return new MemoryStore();
    }
}
