package dev.muster.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muster.core.Coordinator;
import dev.muster.examples.cardgame.CardGameValidator;
import dev.muster.spi.Capabilities;
import dev.muster.spi.CoordinatorEvent;
import dev.muster.spi.Digests;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.Requirements;
import dev.muster.store.memory.MemoryStore;
import dev.muster.worker.WorkerLoop;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The coordinator's pages in the distribution's headless Chromium, against a coordinator with
 * card-game workers running: what a person sees matches the API, the browser logs no error, and
 * screenshots are kept in {@code target/screenshots}. Without Chromium and ChromeDriver the test
 * is skipped, unless {@code -Dmuster.browser.required=true} (as {@code .ci/run} sets, after
 * installing them) makes that a failure.
 */
class PagesBrowserTest {
    private static final Path CHROMIUM = Path.of(System.getProperty("muster.chromium", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(System.getProperty("muster.chromedriver", "/usr/bin/chromedriver"));
    private static final Path SHOTS = Path.of("target", "screenshots");
    private static final int GAMES = 24;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = "status-page-test-key";
    /** Games that need a GPU, which no worker here has: the status page shows where the pool is short. */
    private static final int GPU_GAMES = 5;

    private static Coordinator coordinator;
    private static final List<WorkerLoop> workers = new ArrayList<>();
    private static ChromeDriver browser;
    private static URI site;
    private static final CountDownLatch accepted = new CountDownLatch(GAMES);

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            String missing = "Chromium (" + CHROMIUM + ") and ChromeDriver (" + DRIVER + ") are needed: install the"
                    + " distribution's chromium and chromium-driver packages (.ci/run does)";
            if (Boolean.getBoolean("muster.browser.required")) {
                fail(missing);
            }
            Assumptions.abort(missing);
        }
        coordinator = Coordinator.builder().store(new MemoryStore()).trustPolicy("quorum", Map.of("replicas", "2"))
                .validator(new CardGameValidator()).housekeepingInterval(Duration.ZERO).listener(e -> {
                    if (e instanceof CoordinatorEvent.JobAccepted) {
                        accepted.countDown();
                    }
                })
                .transport("http", Map.of("port", "0", "ratePerAddress", "0", "apiKeys",
                        "ops:admin:" + Digests.sha256Hex(ADMIN_KEY.getBytes(StandardCharsets.UTF_8)))).build();
        coordinator.start();
        URI api = coordinator.transports().get(0).address();
        site = api.resolve("/");
        coordinator.submit(Demo.games(0, GAMES));
        workers.addAll(CardGameWorkers.start(api, new Capabilities(2, 1024, false, Set.of("tier:standard")),
                "alice", "bob", "carol"));
        assertTrue(accepted.await(60, TimeUnit.SECONDS), "the games were decided within 60 s");
        assertEquals(GAMES, coordinator.summary().jobs().getOrDefault(JobState.ACCEPTED, 0L));
        Requirements gpu = new Requirements(1, 0, true, Set.of());
        coordinator.submit(Demo.games(1_000, GPU_GAMES).stream().map(g -> JobSpec.builder(g.type(), g.payload())
                .seed(g.seed()).requirements(gpu).build()).toList());

        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        // --no-sandbox: CI runs as root, where Chromium refuses its sandbox.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--lang=en-GB");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        workers.forEach(WorkerLoop::stop);
        if (coordinator != null) {
            coordinator.stop();
        }
    }

    private static JsonNode api(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(site.resolve(path))
                .header("Authorization", "Bearer " + ADMIN_KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    /** Asks the browser until {@code done} holds; each question is a round trip to it, so this does not spin hot. */
    private static void await(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " within 20 s");
        }
    }

    private static void awaitLoaded() {
        await("the page loaded the pool", () -> browser.findElement(By.id("status")).getText().startsWith("Updated"));
    }

    private static List<List<String>> rows(String table) {
        List<List<String>> out = new ArrayList<>();
        for (WebElement row : browser.findElements(By.cssSelector("#" + table + " tbody tr"))) {
            out.add(row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList());
        }
        return out;
    }

    /** Keeps a picture of the whole page: the window is made as tall as the page for it, then put back. */
    private static void screenshot(String name) throws Exception {
        Dimension window = browser.manage().window().getSize();
        long height = (Long) browser.executeScript("return document.documentElement.scrollHeight;");
        browser.manage().window().setSize(new Dimension(window.getWidth(), (int) Math.max(window.getHeight(), height + 140)));
        Files.write(SHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
        browser.manage().window().setSize(window);
    }

    private static void assertNoConsoleErrors() {
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).toList();
        assertTrue(errors.isEmpty(), "the browser logged: " + errors);
    }

    @Test
    void theLeaderboard_showsWhatTheApiSays_onADesktopAndAPhone() throws Exception {
        browser.manage().window().setSize(new Dimension(1280, 900));
        browser.get(site.toString());
        awaitLoaded();

        JsonNode pool = api("/v1/pool");
        assertEquals(pool.get("workers").get("ACTIVE").asText(), browser.findElement(By.id("workers-active")).getText());
        assertEquals(String.valueOf(GAMES), browser.findElement(By.id("jobs-accepted")).getText());
        JsonNode owners = api("/v1/leaderboard?scope=owner&limit=25").get("entries");
        List<List<String>> shown = rows("owners");
        assertEquals(owners.size(), shown.size(), shown.toString());
        assertEquals(3, shown.size(), "alice, bob and carol earned credit: " + shown);
        for (int i = 0; i < owners.size(); i++) {
            assertEquals(owners.get(i).get("name").asText(), shown.get(i).get(1));
            assertEquals(owners.get(i).get("results").asText(), shown.get(i).get(3));
        }
        assertEquals(3, rows("workers").size());
        screenshot("leaderboard");

        browser.findElement(By.cssSelector(".tabs button[data-window='P1D']")).click();
        await("the last 24 hours were loaded", () -> "P1D".equals(browser.findElement(By.tagName("body"))
                .getDomAttribute("data-window")) && browser.findElement(By.id("status")).getText()
                .startsWith("Updated"));
        assertEquals(3, rows("owners").size(), "the games were all played in the last 24 hours");

        browser.manage().window().setSize(new Dimension(390, 844));
        browser.navigate().refresh();
        awaitLoaded();
        long overflow = (Long) browser.executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertEquals(0, overflow, "nothing runs off the side of a phone's screen");
        screenshot("leaderboard-phone");
        assertNoConsoleErrors();
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    /** @return the figures the bars of a chart show, from their titles ("label: figure series") */
    private static Map<String, Double> chartTotals(String chart) {
        Map<String, Double> totals = new java.util.TreeMap<>();
        List<WebElement> bars = browser.findElements(By.cssSelector("#" + chart + " rect.bar"));
        for (WebElement bar : bars) {
            String title = bar.findElement(By.tagName("title")).getAttribute("textContent");
            String[] figure = title.substring(title.indexOf(": ") + 2).split(" ", 2);
            totals.merge(figure[1], Double.parseDouble(figure[0].replace(",", "")), Double::sum);
        }
        assertEquals(String.valueOf(bars.size()), browser.findElement(By.id(chart)).getDomAttribute("data-bars"));
        return totals;
    }

    @Test
    void theStatusPage_asksForAnAdminKey_thenShowsWhatTheApiSays() throws Exception {
        browser.manage().window().setSize(new Dimension(1280, 900));
        browser.get(site.resolve("/status").toString());
        await("the key form shows", () -> browser.findElement(By.id("key-form")).isDisplayed());
        assertFalse(browser.findElement(By.id("dashboard")).isDisplayed(), "nothing is shown without a key");
        browser.findElement(By.id("admin-key")).sendKeys("not-the-key");
        browser.findElement(By.cssSelector("#key-form button")).click();
        await("a wrong key is refused", () -> text("status").startsWith("Could not load"));
        assertTrue(browser.findElement(By.id("key-form")).isDisplayed());
        browser.manage().logs().get(LogType.BROWSER);  // the 401 above is logged by the browser; it was meant

        browser.findElement(By.id("admin-key")).sendKeys(ADMIN_KEY);
        browser.findElement(By.cssSelector("#key-form button")).click();
        await("the status loaded", () -> browser.findElement(By.tagName("body")).getDomAttribute("data-loaded") != null
                && text("status").startsWith("Updated"));
        JsonNode status = api("/v1/admin/status");
        assertEquals("3", text("workers-active"));
        assertEquals(String.valueOf(GPU_GAMES), text("jobs-queued"));
        assertEquals(String.valueOf(GPU_GAMES), text("jobs-unmet"), "no worker has a GPU");
        assertEquals(status.get("summary").get("activeLeases").asText(), text("leases-active"));
        List<List<String>> types = rows("types");
        assertEquals(status.get("openJobs").size(), types.size(), types.toString());
        assertEquals(List.of("card-game", "1 core, GPU", String.valueOf(GPU_GAMES), "0", "0"), types.get(0).subList(0, 5));
        List<List<String>> unmet = rows("unmet");
        assertEquals(1, unmet.size(), unmet.toString());
        assertEquals(List.of("card-game", "1 core, GPU", String.valueOf(GPU_GAMES)), unmet.get(0).subList(0, 3));
        List<List<String>> tiers = rows("tiers");
        assertEquals(List.of("standard", "ACTIVE", "3", "6"), tiers.get(0).subList(0, 4), tiers.toString());
        long accepted = 0;
        for (JsonNode hour : status.get("lastDay")) {
            accepted += hour.get("accepted").asLong();
        }
        assertEquals(GAMES, accepted);
        assertEquals(Map.of("accepted", (double) GAMES), chartTotals("hours-chart"), "the chart draws the accepted games");
        int logged = status.get("latestRejections").size();
        assertEquals(Math.max(1, logged), rows("rejections").size(), "a row per rejection, or one that says none");
        screenshot("status");

        browser.manage().window().setSize(new Dimension(390, 844));
        browser.navigate().refresh();
        await("the status loaded on a phone", () -> text("status").startsWith("Updated"));
        long overflow = (Long) browser.executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertEquals(0, overflow, "nothing but the tables' own scrolling runs off a phone's screen");
        screenshot("status-phone");
        assertNoConsoleErrors();
    }

    @Test
    void anOwnersPage_showsItsCreditPerDayAndItsWorkers() throws Exception {
        browser.manage().window().setSize(new Dimension(1280, 900));
        browser.get(site.toString());
        awaitLoaded();
        browser.findElement(By.linkText("alice")).click();
        await("alice's page loaded", () -> browser.getCurrentUrl().contains("/owner?name=alice")
                && text("status").startsWith("Updated"));
        JsonNode alice = api("/v1/owners?name=alice");
        assertEquals("alice", text("owner-name"));
        assertEquals(alice.get("results").asText(), text("owner-results"));
        assertEquals("1", text("owner-workers"));
        List<List<String>> shown = rows("owner-worker-table");
        assertEquals(1, shown.size());
        assertEquals(List.of("yes", "standard", "2", "this hour"), shown.get(0).subList(1, 5));
        assertEquals(alice.get("workers").get(0).get("results").asText(), shown.get(0).get(6));
        Map<String, Double> drawn = chartTotals("days-chart");
        assertEquals(java.util.Set.of("credit"), drawn.keySet());
        assertEquals(alice.get("credit").asDouble(), drawn.get("credit"), 0.051,
                "today's bar holds all of alice's credit (as shown, to one decimal)");
        assertFalse(browser.getPageSource().contains(alice.get("workers").get(0).get("id").asText()),
                "worker ids are shortened on the page");
        screenshot("owner");
        assertNoConsoleErrors();

        browser.get(site.resolve("/owner?name=nobody").toString());
        await("an unknown owner is said to be unknown", () -> text("status").contains("no owner 'nobody'"));
        browser.manage().logs().get(LogType.BROWSER);  // the 404 is logged by the browser; it was meant
    }

    @Test
    void thePages_loadNothingFromElsewhere() throws Exception {
        for (String path : List.of("/", "/status", "/owner")) {
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(site.resolve(path))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode(), path);
            String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(policy.contains("default-src 'none'") && policy.contains("connect-src 'self'"), policy);
            assertFalse(page.body().matches("(?s).*(src|href)=\"(https?:)?//.*"), path + ": no resource from elsewhere");
        }
    }
}
