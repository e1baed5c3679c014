package dev.muster.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muster.spi.Keys;
import dev.muster.spi.WorkerId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The operator's commands, with an admin key: list workers, drain and ban them, edit the allowlist. */
final class AdminCommands {
    private AdminCommands() {}

    private static void worker(CommandSpec spec, JsonNode w) {
        spec.commandLine().getOut().println(w.path("id").asText() + " " + w.path("state").asText() + " "
                + w.path("owner").asText() + " " + w.path("lastSeen").asText());
    }

    /** @return the worker id, checked */
    private static String id(String text) {
        try {
            return new WorkerId(text).value();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    @Command(name = "workers", mixinStandardHelpOptions = true,
            description = "List registered workers, a page at a time: id, state, owner, last seen.")
    static final class Workers implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Api api;

        @Option(names = "--after", paramLabel = "<worker id>", description = "Continue after this worker (a page's last).")
        String after;

        @Option(names = "--limit", paramLabel = "<n>", defaultValue = "100", description = "Workers per page (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            if (limit < 1 || limit > 1_000) {
                throw new IllegalArgumentException("--limit takes 1 to 1000, not " + limit);
            }
            JsonNode page = api.call("GET", "admin/workers?limit=" + limit + (after == null ? "" : "&after=" + id(after)),
                    null);
            page.path("workers").forEach(w -> worker(spec, w));
            if (page.hasNonNull("next")) {
                spec.commandLine().getOut().println("next: --after " + page.get("next").asText());
            }
            return 0;
        }
    }

    @Command(name = "drain", mixinStandardHelpOptions = true,
            description = "Drain a worker: it gets no new work and finishes what it holds, until resumed.")
    static final class Drain implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Api api;

        @Parameters(paramLabel = "<worker id>", description = "The worker.")
        String worker;

        @Override
        public Integer call() {
            worker(spec, api.call("POST", "admin/workers/" + id(worker) + "/drain", null));
            return 0;
        }
    }

    @Command(name = "ban", mixinStandardHelpOptions = true,
            description = "Ban a worker: its leases go back to the queue and it may not register again.")
    static final class Ban implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Api api;

        @Parameters(paramLabel = "<worker id>", description = "The worker.")
        String worker;

        @Option(names = "--reason", paramLabel = "<text>", required = true, description = "Why, kept with the ban.")
        String reason;

        @Override
        public Integer call() {
            worker(spec, api.call("POST", "admin/workers/" + id(worker) + "/ban", Map.of("reason", reason)));
            return 0;
        }
    }

    @Command(name = "allowlist", mixinStandardHelpOptions = true,
            description = "Edit the allowlist of a trusted pool; the coordinator keeps it in its store.",
            subcommands = {Allowlist.Add.class, Allowlist.Remove.class})
    static final class Allowlist implements Runnable {
        @Spec CommandSpec spec;

        @Override
        public void run() {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "say add or remove");
        }

        @Command(name = "add", mixinStandardHelpOptions = true,
                description = "List a worker's public key (a PEM file of its PUBLIC KEY, as muster pubkey prints).")
        static final class Add implements Callable<Integer> {
            @Spec CommandSpec spec;
            @Mixin Api api;

            @Parameters(paramLabel = "<public key file>", description = "The worker's public key, PEM.")
            Path file;

            @Override
            public Integer call() {
                PublicKey key;
                try {
                    String pem = Files.readString(file);
                    if (pem.contains("PRIVATE KEY")) {
                        throw new IllegalArgumentException(file + " holds a private key; give the public key only"
                                + " (muster pubkey --key " + file + ")");
                    }
                    if (pem.split("BEGIN PUBLIC KEY", -1).length > 2) {
                        throw new IllegalArgumentException(file + " holds several keys; add them one at a time");
                    }
                    key = Keys.publicKeyFromPem(pem);
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
                } catch (dev.muster.spi.InvalidRequestException e) {
                    throw new IllegalArgumentException(file + ": " + e.getMessage());
                }
                String id = WorkerId.of(key).value();
                api.call("PUT", "admin/allowlist/" + id, Map.of("publicKey",
                        Base64.getEncoder().encodeToString(key.getEncoded())));
                spec.commandLine().getOut().println(id + " listed");
                return 0;
            }
        }

        @Command(name = "remove", mixinStandardHelpOptions = true, description = "Take a worker's key off the list.")
        static final class Remove implements Callable<Integer> {
            @Spec CommandSpec spec;
            @Mixin Api api;

            @Parameters(paramLabel = "<worker id>", description = "The worker.")
            String worker;

            @Override
            public Integer call() {
                api.call("DELETE", "admin/allowlist/" + id(worker), null);
                spec.commandLine().getOut().println(worker + " removed");
                return 0;
            }
        }
    }
}
