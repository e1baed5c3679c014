package dev.muster.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {
    @Test
    void codesAreDistinctLowerCaseWords_andExceptionsCarryTheirKind() {
        Set<String> seen = new HashSet<>();
        for (ErrorCode e : ErrorCode.values()) {
            assertTrue(e.code().matches("[a-z]+(-[a-z]+)*"), e.code());
            assertTrue(seen.add(e.code()), "two kinds share " + e.code());
        }
        assertEquals(ErrorCode.IDEMPOTENCY_CONFLICT, new IdempotencyConflictException("k").error());
        assertEquals("idempotency-conflict", new IdempotencyConflictException("k").code());
        assertEquals("store-unavailable", new StoreUnavailableException("down", null).code());
    }
}
