package dev.muster.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.Coordinator;
import dev.muster.examples.cardgame.CardGameValidator;
import dev.muster.spi.Digests;
import dev.muster.spi.JobState;
import dev.muster.store.memory.MemoryStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The muster command line: help and one-line errors for every command, where defaults come from, and the API calls. */
class MusterCliTest {
    /** Every command, with a bad argument for it. */
    static Stream<List<String>> commands() {
        return Stream.of(List.of("coordinator", "--port", "not-a-port"), List.of("worker", "--threads", "x"),
                List.of("submit", "--batch", "many"), List.of("jobs", "--limit", "lots"), List.of("job", "seven"),
                List.of("result", "seven"), List.of("cancel", "seven"), List.of("workers", "--limit", "lots"),
                List.of("drain", "--nope"), List.of("ban", "--nope"), List.of("allowlist", "--nope"),
                List.of("keygen", "--nope"), List.of("pubkey", "--nope"), List.of("hash-key", "--nope"));
    }

    private record Run(int code, String out, String err) {}

    private static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Muster.execute(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
        return new Run(code, out.toString(), err.toString());
    }

    private static Run run(String... args) {
        return run(Map.of(), args);
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyCommand_hasHelp_andABadArgumentIsOneLineAndExitCode2(List<String> bad) {
        String command = bad.get(0);
        Run help = run(command, "--help");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().startsWith("Usage: muster " + command), help.out());
        Run wrong = run(bad.toArray(String[]::new));
        assertEquals(2, wrong.code(), wrong.out() + wrong.err());
        assertEquals(1, wrong.err().strip().lines().count(), "one line: " + wrong.err());
        assertTrue(wrong.err().startsWith(command + ": "), wrong.err());
        assertFalse(wrong.err().contains("Exception") || wrong.err().contains("\tat "), wrong.err());
    }

    @Test
    void anOptionComesFromTheCommandLine_elseTheConfigFile_elseTheEnvironment(@TempDir Path dir) throws Exception {
        // Nothing listens on port 1: each call fails at once, naming the URL it was given.
        String env = "http://127.0.0.1:1/from-the-environment/";
        String file = "http://127.0.0.1:1/from-the-config-file/";
        String flag = "http://127.0.0.1:1/from-the-flag/";
        Path urls = Files.writeString(dir.resolve("urls.properties"), "url=" + file);
        assertTrue(run(Map.of("MUSTER_URL", env), "jobs").err().contains(env), "the environment, when nothing else says");
        assertTrue(run(Map.of("MUSTER_URL", env), "jobs", "--config", urls.toString()).err().contains(file),
                "the config file before the environment");
        assertTrue(run(Map.of("MUSTER_URL", env, "MUSTER_CONFIG", urls.toString()), "jobs").err().contains(file),
                "MUSTER_CONFIG names the config file");
        assertTrue(run(Map.of("MUSTER_URL", env), "jobs", "--config", urls.toString(), "--url", flag).err()
                .contains(flag), "the command line before both");
        assertEquals(1, run(Map.of("MUSTER_URL", env), "jobs").code(), "a call that fails is exit code 1");
    }

    @Test
    void aConfigFileItCannotUse_isOneLineAndExitCode2_andStrayVariablesAreIgnored(@TempDir Path dir) throws Exception {
        Path settings = Files.writeString(dir.resolve("pool.properties"), "store.url=jdbc:sqlite:x.db\n");
        Run dotted = run(Map.of(), "jobs", "--config", settings.toString());
        assertEquals(2, dotted.code());
        assertTrue(dotted.err().contains("--settings"), dotted.err());
        assertEquals(1, dotted.err().strip().lines().count(), dotted.err());
        Run missing = run(Map.of("MUSTER_CONFIG", dir.resolve("none.properties").toString()), "jobs", "--help");
        assertEquals(2, missing.code());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        Path key = Files.writeString(dir.resolve("k"), "k");
        Run stray = run(Map.of("MUSTER_PORT", "tcp://10.0.0.1:8080", "MUSTER_HELP", "yes", "MUSTER_VERSION", "1.2"),
                "hash-key", "--file", key.toString());
        assertEquals(0, stray.code(), stray.err());
        Run inputs = run(Map.of("MUSTER_OUT", dir.resolve("k.pem").toString()), "keygen");
        assertEquals(2, inputs.code(), "--out comes from the command line only");
        assertFalse(Files.exists(dir.resolve("k.pem")));
    }

    private static String hash(String key) {
        return Digests.sha256Hex(key.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keys_areMadeOnce_printedAsPublicKeys_andRefusedWhereOnlyPublicOnesBelong(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("worker.pem");
        Run made = run("keygen", "--out", key.toString());
        assertEquals(0, made.code(), made.err());
        assertTrue(made.out().strip().matches("[0-9a-f]{32}"), made.out());
        Run again = run("keygen", "--out", key.toString());
        assertEquals(2, again.code(), "an existing key is not overwritten");
        assertTrue(again.err().contains("exists already"), again.err());
        Run pub = run("pubkey", "--key", key.toString());
        assertTrue(pub.out().startsWith("-----BEGIN PUBLIC KEY-----") && !pub.out().contains("PRIVATE"), pub.out());
        assertTrue(pub.err().contains(made.out().strip()), "it names the worker id: " + pub.err());
    }

    @Test
    void theApiCommands_submitListShowAndCancelJobs_andAdminsListWorkers(@TempDir Path dir) throws Exception {
        String key = "cli-test-key";
        Coordinator c = Coordinator.builder().store(new MemoryStore()).trustPolicy("quorum", Map.of("replicas", "1"))
                .validator(new CardGameValidator()).housekeepingInterval(Duration.ZERO)
                .transport("http", Map.of("port", "0", "apiKeys", "ops:submit+read+admin:" + hash(key))).build();
        c.start();
        try (c) {
            Path keyFile = Files.writeString(dir.resolve("api.key"), key + "\n");
            Path config = Files.writeString(dir.resolve("muster.properties"), "url=" + c.transports().get(0).address()
                    + "\napi-key-file=" + keyFile + "\n");
            var decks = dev.muster.examples.cardgame.Decks.samples();
            String payload = java.util.Base64.getEncoder().encodeToString(new dev.muster.examples.cardgame.Matchup(
                    "Midrange", decks.get("Midrange"), "Control", decks.get("Control")).encode());
            Path jobs = Files.writeString(dir.resolve("jobs.jsonl"), "{\"type\":\"card-game\",\"payload\":\"" + payload
                    + "\",\"seed\":1}\n{\"type\":\"card-game\",\"payload\":\"" + payload + "\",\"seed\":2}\n");
            Map<String, String> env = Map.of("MUSTER_CONFIG", config.toString());

            Run submitted = run(env, "submit", "--file", jobs.toString());
            assertEquals(0, submitted.code(), submitted.err());
            assertEquals(2, submitted.out().lines().count(), submitted.out());
            String first = submitted.out().lines().findFirst().orElseThrow().split(" ")[0];
            Run listed = run(env, "jobs", "--state", "queued");
            assertEquals(2, listed.out().lines().count(), listed.out());
            assertTrue(run(env, "job", first).out().contains("\"seed\" : 1"));
            assertTrue(run(env, "cancel", first).out().contains("CANCELLED"));
            assertEquals(JobState.CANCELLED, c.job(dev.muster.spi.JobId.parse(first)).orElseThrow().state());
            assertEquals(0, run(env, "workers").code());

            Run refused = run(env, "result", first);
            assertEquals(1, refused.code());
            assertTrue(refused.err().startsWith("result: the coordinator answered 404"), refused.err());
            Run noAllowlist = run(env, "allowlist", "remove", "0".repeat(32));
            assertEquals(1, noAllowlist.code());
            assertEquals(1, noAllowlist.err().strip().lines().count(), noAllowlist.err());
            Run noKey = run(Map.of("MUSTER_URL", c.transports().get(0).address().toString()), "jobs");
            assertEquals(1, noKey.code());
            assertTrue(noKey.err().contains("401"), noKey.err());
        }
    }
}
