package dev.muster.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The OpenAPI description is served, and names every route the server has. */
class OpenApiTest {
    private static final List<String> ROUTES = List.of("/health:", "/openapi.yaml:", "/pool:", "/leaderboard:",
            "/workers/challenge:", "/workers/register:", "/workers/heartbeat:", "/workers/lease:", "/workers/results:",
            "/workers/drain:", "/jobs:", "/jobs/{id}:", "/jobs/{id}/cancel:", "/admin/rejections:",
            "/admin/workers/{id}:", "/admin/workers/{id}/ban:", "/jobs/{id}/result:", "/admin/workers:",
            "/admin/allowlist/add:", "/admin/allowlist/remove:", "/admin/workers/{id}/drain:", "/workers/login:",
            "/workers/release:", "/admin/workers/{id}/resume:", "/health/ready:", "/coordinator/key:", "/owners:",
            "/admin/owners:", "/admin/owners/{name}:", "/admin/owners/{name}/ban:", "/admin/workers/{id}/standing:",
            "/admin/status:");

    @Test
    void openApi_isServed_andListsEveryRoute() {
        try (HttpFixture f = new HttpFixture(Map.of())) {
            HttpFixture.Reply r = f.callAt(f.base, "GET", "openapi.yaml", null);
            assertEquals(200, r.status());
            assertTrue(r.contentType().startsWith("application/yaml"), r.contentType());
            String doc = new String(r.raw().body(), StandardCharsets.UTF_8);
            assertTrue(doc.startsWith("openapi: 3.1.0"));
            for (String route : ROUTES) {
                assertTrue(doc.contains("\n  " + route), "openapi.yaml lacks " + route);
            }
        }
    }
}
