package dev.muster.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.spi.ErrorCode;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.MusterException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HttpProblemTest {
    @Test
    void transportTypes_areDistinct_andNeverACoordinatorCode() {
        Set<String> codes = new HashSet<>();
        for (ErrorCode e : ErrorCode.values()) {
            codes.add(e.code());
        }
        Set<String> seen = new HashSet<>();
        for (HttpProblem p : HttpProblem.values()) {
            assertTrue(p.type().matches("[a-z]+(-[a-z]+)*"), p.type());
            assertTrue(seen.add(p.type()), "two constants share " + p.type());
            assertTrue(!codes.contains(p.type()), p.type() + " would mean two things");
        }
    }

    @Test
    void everyFailureKind_hasAStatus_andKeepsItsCodeAsTheType() {
        for (ErrorCode e : ErrorCode.values()) {
            MusterException m = new MusterException(e, "x");
            int status = ProblemMapper.status(m);
            assertTrue(status >= 400 && status < 600, e + " -> " + status);
            assertEquals(e.code(), ProblemMapper.map(m, "GET", "/v1/x").type());
        }
        assertEquals(400, ProblemMapper.map(new InvalidRequestException("bad"), "GET", "/v1/x").status());
    }
}
