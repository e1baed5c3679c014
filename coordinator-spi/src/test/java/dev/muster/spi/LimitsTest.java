package dev.muster.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The table of limits: client values over a limit are refused by name, plug-in text is fitted. */
class LimitsTest {
    private static final String DIGEST = "0".repeat(64);

    @Test
    void aClientValueOverItsLimit_isRefused_namingTheFieldAndTheLimit() {
        for (Limits limit : Limits.values()) {
            if (!limit.refuses() || limit.unit() != Limits.Unit.CHARACTERS || limit.name().startsWith("METADATA")) {
                continue;
            }
            String atLimit = "y".repeat(limit.max());
            assertSame(atLimit, limit.text(atLimit), limit.toString());
            InvalidRequestException e = assertThrows(InvalidRequestException.class,
                    () -> limit.text("y".repeat(limit.max() + 1)));
            assertEquals(limit.field() + " is " + (limit.max() + 1) + " characters long; the limit is " + limit.max(),
                    e.getMessage());
        }
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> JobSpec.builder("t", new byte[0]).mediaType("m".repeat(201)).build());
        assertTrue(e.getMessage().startsWith("mediaType is 201 characters long; the limit is 200"), e.getMessage());
        Set<String> labels = new HashSet<>();
        for (int i = 0; i <= Limits.LABELS.max(); i++) {
            labels.add("l" + i);
        }
        e = assertThrows(InvalidRequestException.class, () -> new Capabilities(1, 0, false, labels));
        assertEquals("labels has 33 entries; the limit is 32", e.getMessage());
    }

    @Test
    void aNullInsideAListOrMap_isAnInvalidRequest_notANullPointer() {
        Set<String> withNull = new HashSet<>(Arrays.asList("a", null));
        assertEquals("labels contains null", assertThrows(InvalidRequestException.class,
                () -> Labels.copy(withNull, "labels")).getMessage());
        Map<String, String> map = new HashMap<>();
        map.put("k", null);
        assertThrows(InvalidRequestException.class, () -> Checks.size(map, "metadata", 10));
        assertThrows(InvalidRequestException.class,
                () -> new ResultReport(new JobId(1), 0, 0, new byte[0], DIGEST, map));
    }

    @Test
    void pluginText_isFittedWithAMarker_neverSplittingASurrogatePair_andWithoutNul() {
        Limits limit = Limits.VERDICT_REASON;
        String exact = "r".repeat(limit.max());
        assertSame(exact, limit.fit(exact));
        assertNull(limit.fit(null));
        String fitted = limit.fit("r".repeat(limit.max() * 3));
        assertEquals(limit.max(), fitted.length());
        assertTrue(fitted.endsWith(Limits.TRUNCATION_MARKER));

        // A surrogate pair straddling the cut is dropped whole.
        int cut = limit.max() - Limits.TRUNCATION_MARKER.length();
        String pairs = "r".repeat(cut - 1) + "\uD834\uDD1E".repeat(10);
        String fittedPairs = limit.fit(pairs);
        assertEquals(limit.max() - 1, fittedPairs.length());
        assertFalse(Character.isHighSurrogate(fittedPairs.charAt(cut - 2)), "no lone high surrogate");

        assertEquals("a\uFFFDb", limit.fit("a\0b"));
        assertEquals(limit.max(), Verdict.invalid("x".repeat(5_000)).reason().length());
        assertEquals(Limits.FAILURE_REASON.max(),
                new dev.muster.spi.policy.Decision.Fail("f".repeat(9_999)).reason().length());
        assertEquals(Limits.REJECTION_DETAIL.max(), new Rejection(java.time.Instant.EPOCH,
                new WorkerId("0".repeat(32)), null, -1, RejectionReason.INVALID, "d".repeat(3_000)).detail().length());
    }

    @Test
    void resultMetadataOverItsLimits_isBuilt_butNamedByOverLimit() {
        assertNull(new ResultReport(new JobId(1), 0, 0, new byte[0], DIGEST,
                Map.of("k".repeat(1024), "v".repeat(1024))).overLimit());
        assertEquals("metadata value of 'k' is 1025 characters long; the limit is 1024",
                new ResultReport(new JobId(1), 0, 0, new byte[0], DIGEST, Map.of("k", "v".repeat(1025))).overLimit());
        assertTrue(new ResultReport(new JobId(1), 0, 0, new byte[0], DIGEST, Map.of("k".repeat(1025), "v"))
                .overLimit().endsWith("is 1025 characters long; the limit is 1024"));
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i <= Limits.METADATA_ENTRIES.max(); i++) {
            many.put("k" + i, "v");
        }
        assertEquals("metadata has 65 entries; the limit is 64",
                new ResultReport(new JobId(1), 0, 0, new byte[0], DIGEST, many).overLimit());
    }
}
