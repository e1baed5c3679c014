package dev.muster.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muster.core.Coordinator;
import dev.muster.examples.cardgame.CardGameValidator;
import dev.muster.spi.CoordinatorEvent;
import dev.muster.spi.JobState;
import dev.muster.store.memory.MemoryStore;
import dev.muster.transport.http.WorkerLoop;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
                .transport("http", Map.of("port", "0", "ratePerAddress", "0")).build();
        coordinator.start();
        URI api = coordinator.transports().get(0).address();
        site = api.resolve("/");
        coordinator.submit(Demo.games(0, GAMES));
        workers.addAll(CardGameWorkers.start(api, "alice", "bob", "carol"));
        assertTrue(accepted.await(60, TimeUnit.SECONDS), "the games were decided within 60 s");
        assertEquals(GAMES, coordinator.summary().jobs().getOrDefault(JobState.ACCEPTED, 0L));

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
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(site.resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
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

    private static void screenshot(String name) throws Exception {
        Files.write(SHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
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

    @Test
    void thePages_loadNothingFromElsewhere() throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(site).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(policy.contains("default-src 'none'") && policy.contains("connect-src 'self'"), policy);
        assertFalse(page.body().matches("(?s).*(src|href)=\"(https?:)?//.*"), "no resource from another origin");
    }
}
