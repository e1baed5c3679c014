package dev.muster.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.muster.spi.CoordinatorStateException;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.WorkerBannedException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A failure answers the same problem whether a route threw it or a long poll's future ended with it. */
class ProblemMapperTest {
    private static final String PATH = "/v1/workers/lease";

    private static ProblemMapper.Problem sync(Throwable e) {
        return ProblemMapper.map(e, "POST", PATH);
    }

    /** The error a dependent future's whenComplete sees when its source failed with {@code e}. */
    private static ProblemMapper.Problem async(RuntimeException e) {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        CompletableFuture<Object> source = new CompletableFuture<>();
        source.thenApply(v -> v).whenComplete((v, error) -> seen.set(error));
        source.completeExceptionally(e);
        assertEquals(CompletionException.class, seen.get().getClass(), "a dependent future wraps the failure");
        return ProblemMapper.map(seen.get(), "POST", PATH);
    }

    @Test
    void map_givesOneProblemPerFailure_thrownOrFromAFuture() throws Exception {
        JsonProcessingException badJson = assertThrows(JsonProcessingException.class,
                () -> Json.MAPPER.readValue("{\"max\": ", Wire.LeaseForm.class));
        List<RuntimeException> failures = List.of(new CoordinatorStateException("coordinator stopped"),
                new InvalidRequestException("wait is too long"), new WorkerBannedException("worker w is banned"),
                new HttpError(409, "not-leased", "no result was accepted", Map.of("outcomes", List.of())),
                new IllegalStateException("a bug with a secret in it"));
        for (RuntimeException e : failures) {
            assertEquals(sync(e), async(e), e.getClass().getSimpleName());
        }
        assertEquals(sync(badJson), sync(new CompletionException(badJson)));
        assertEquals(400, sync(badJson).status());
    }

    @Test
    void map_keepsCodesAndHidesFaults() {
        assertEquals(new ProblemMapper.Problem(503, "not-running", "coordinator stopped", null),
                sync(new CoordinatorStateException("coordinator stopped")));
        assertEquals(new ProblemMapper.Problem(403, "worker-banned", "worker w is banned", null),
                sync(new WorkerBannedException("worker w is banned")));
        assertEquals(Map.of("outcomes", List.of()),
                sync(new HttpError(409, "not-leased", "none", Map.of("outcomes", List.of()))).extensions());
        ProblemMapper.Problem fault = sync(new IllegalStateException("a bug with a secret in it"));
        assertEquals(500, fault.status());
        assertEquals("internal", fault.type());
        assertFalse(fault.detail().contains("secret"), fault.detail());
    }
}
