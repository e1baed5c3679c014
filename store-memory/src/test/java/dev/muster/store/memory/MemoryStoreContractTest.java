package dev.muster.store.memory;

import dev.muster.spi.store.JobLifecycle;
import dev.muster.spi.store.Store;
import dev.muster.spi.store.StoreContractTest;

class MemoryStoreContractTest extends StoreContractTest {
    @Override
    protected Store newStore() {
        return new MemoryStore();
    }

    @Override
    protected Store newStore(JobLifecycle lifecycle) {
        return new MemoryStore(100_000, 1_000_000, 31 * 24, lifecycle);
    }
}
