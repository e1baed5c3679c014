package dev.muster.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI description is served, parses without a message, names every route the server has,
 * and holds the rules its users' tools rely on: every operation has a unique id, a security
 * requirement (empty for public ones) and typed success responses.
 */
class OpenApiTest {
    private static final List<String> ROUTES = List.of("/health", "/openapi.yaml", "/pool", "/leaderboard",
            "/workers/challenge", "/workers/register", "/workers/heartbeat", "/workers/lease", "/workers/results",
            "/workers/drain", "/jobs", "/jobs/{id}", "/jobs/{id}/cancel", "/admin/rejections",
            "/admin/workers/{id}", "/admin/workers/{id}/ban", "/jobs/{id}/result", "/admin/workers",
            "/admin/allowlist/{id}", "/admin/workers/{id}/drain", "/workers/login",
            "/workers/release", "/admin/workers/{id}/resume", "/health/ready", "/coordinator/key", "/owners",
            "/admin/owners", "/admin/owners/{name}", "/admin/owners/{name}/ban", "/admin/workers/{id}/standing",
            "/admin/status");

    private static String served() {
        try (HttpFixture f = new HttpFixture(Map.of())) {
            HttpFixture.Reply r = f.callAt(f.base, "GET", "openapi.yaml", null);
            assertEquals(200, r.status());
            assertTrue(r.contentType().startsWith("application/yaml"), r.contentType());
            return new String(r.raw().body(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void openApi_isServed_parsesWithoutAMessage_andListsEveryRoute() {
        String doc = served();
        assertTrue(doc.startsWith("openapi: 3.1.0"));
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(doc, null, options);
        assertEquals(List.of(), parsed.getMessages(), "the parser's messages");
        OpenAPI api = parsed.getOpenAPI();
        assertNotNull(api);
        assertEquals(new HashSet<>(ROUTES), api.getPaths().keySet());
    }

    @Test
    void everyOperation_hasAUniqueId_aSecurityRequirement_andTypedSuccessResponses() {
        OpenAPI api = new OpenAPIV3Parser().readContents(served(), null, new ParseOptions()).getOpenAPI();
        Set<String> ids = new HashSet<>();
        List<String> faults = new ArrayList<>();
        int operations = 0;
        for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> e : path.getValue().readOperationsMap().entrySet()) {
                operations++;
                Operation op = e.getValue();
                String where = e.getKey() + " " + path.getKey();
                if (op.getOperationId() == null || !ids.add(op.getOperationId())) {
                    faults.add(where + ": no operation id, or one another operation has");
                }
                if (op.getSecurity() == null) {
                    faults.add(where + ": no security requirement (an empty list for a public operation)");
                }
                boolean success = false;
                for (Map.Entry<String, ApiResponse> r : op.getResponses().entrySet()) {
                    if (!r.getKey().startsWith("2")) {
                        continue;
                    }
                    success = true;
                    if (!r.getKey().equals("204") && (r.getValue().getContent() == null
                            || r.getValue().getContent().values().stream().anyMatch(m -> m.getSchema() == null))) {
                        faults.add(where + " " + r.getKey() + ": no typed body");
                    }
                }
                if (!success) {
                    faults.add(where + ": no success response");
                }
                if (op.getResponses().keySet().stream().noneMatch(k -> k.startsWith("4"))) {
                    faults.add(where + ": no 4xx response");
                }
            }
        }
        assertEquals(List.of(), faults);
        assertEquals(35, operations, "every route's methods");
    }
}
