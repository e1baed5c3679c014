package dev.muster.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** W3C trace context values on jobs: what is taken, what is refused, and that it is not content. */
class TraceparentTest {
    private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void validValues_andNone_areTaken() {
        assertEquals(VALID, Traceparent.check(VALID));
        assertNull(Traceparent.check(null));
        assertEquals(VALID, JobSpec.builder("t", new byte[0]).traceparent(VALID).build().traceparent());
    }

    @Test
    void malformedValues_areRefused_withoutEchoingThem() {
        for (String bad : new String[] {
                "", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
                "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
                "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0\n"}) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Traceparent.check(bad), bad);
            assertFalse(!bad.isEmpty() && e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void traceContext_isNotPartOfAJobsContent() {
        JobSpec plain = JobSpec.builder("t", new byte[] {1}).seed(3).build();
        JobSpec traced = plain.toBuilder().traceparent(VALID).build();
        assertEquals(plain.contentDigest(), traced.contentDigest(), "the same work, whichever trace asked for it");
        assertEquals(VALID, traced.toBuilder().build().traceparent());
    }
}
