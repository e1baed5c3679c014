package dev.muster.store.memory;

import dev.muster.spi.store.LimitsContractTest;
import dev.muster.spi.store.Store;

class MemoryStoreLimitsContractTest extends LimitsContractTest {
    @Override
    protected Store newStore() {
        return new MemoryStore();
    }
}
