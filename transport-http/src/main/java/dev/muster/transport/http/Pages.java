package dev.muster.transport.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The pages the coordinator serves to browsers beside its API: the public leaderboard at
 * {@code /}, a contributor's public page at {@code /owner?name=...}, the operators' status page at
 * {@code /status} (which asks for an admin key and reads {@code /v1/admin/status} with it; the
 * page itself holds no data), and the styles and scripts they load from {@code /assets/}. Each file is read from
 * the transport's jar once; only the paths listed here exist, so no request can name another
 * resource. Every page is sent with a Content-Security-Policy that allows scripts, styles and
 * requests to this coordinator only: the pages load nothing from elsewhere.
 */
final class Pages {
    /** Allows what the pages need from this origin, and nothing from any other. */
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /** A file of the pages, with its media type. */
    record Page(String mediaType, byte[] bytes) {}

    private static final String HTML = "text/html; charset=utf-8";
    private static final String SCRIPT = "text/javascript; charset=utf-8";
    private final Map<String, Page> byPath = Map.of(
            "/", read("leaderboard.html", HTML),
            "/owner", read("owner.html", HTML),
            "/status", read("status.html", HTML),
            "/assets/muster.css", read("muster.css", "text/css; charset=utf-8"),
            "/assets/muster.js", read("muster.js", SCRIPT),
            "/assets/leaderboard.js", read("leaderboard.js", SCRIPT),
            "/assets/owner.js", read("owner.js", SCRIPT),
            "/assets/status.js", read("status.js", SCRIPT));

    private static Page read(String name, String mediaType) {
        try (InputStream in = Pages.class.getResourceAsStream("pages/" + name)) {
            if (in == null) {
                throw new IllegalStateException("pages/" + name + " is missing from the transport's jar");
            }
            return new Page(mediaType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the page at this path, or null if there is none */
    Page at(String path) {
        return byPath.get(path);
    }
}
