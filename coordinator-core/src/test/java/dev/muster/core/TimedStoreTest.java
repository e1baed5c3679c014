package dev.muster.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.WorkerId;
import dev.muster.spi.store.Store;
import dev.muster.store.memory.MemoryStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every store call is timed by name, a failing one as failed, and the store's own exception comes through. */
class TimedStoreTest {
    private record Call(String operation, boolean failed) {}

    @Test
    void storeCalls_areTimedByName_andFailuresComeThroughAsTheStoreThrewThem() {
        List<Call> calls = new ArrayList<>();
        Instrumentation recording = new Instrumentation() {
            @Override
            public void storeCalled(String operation, long nanos, boolean failed) {
                assertTrue(nanos >= 0);
                calls.add(new Call(operation, failed));
            }
        };
        MemoryStore memory = new MemoryStore();
        Store timed = TimedStore.wrap(memory, recording);
        timed.summary();
        InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                () -> timed.backtrack(new WorkerId("0".repeat(32)), null, 0, java.time.Instant.EPOCH,
                        dev.muster.spi.store.TestPolicies.firstValid()));
        assertTrue(refused.getMessage().contains("limit"), refused.getMessage());
        assertEquals(List.of(new Call("summary", false), new Call("backtrack", true)), calls);

        assertSame(memory, TimedStore.wrap(memory, Instrumentation.NONE), "nothing to record, nothing wrapped");
        assertEquals(timed, timed);
        assertNotEquals(timed, memory);
        assertEquals(System.identityHashCode(timed), timed.hashCode());
        assertEquals(2, calls.size(), "equals and hashCode are not store calls");
    }
}
