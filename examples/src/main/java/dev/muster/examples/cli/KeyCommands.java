package dev.muster.examples.cli;

import dev.muster.spi.Digests;
import dev.muster.spi.Keys;
import dev.muster.spi.WorkerId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Key tools: make a worker key, print its public half, hash an API key for the coordinator's settings. */
final class KeyCommands {
    private KeyCommands() {}

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Make a worker's Ed25519 key pair in a PEM file (readable by its owner only) and print its worker id.")
    static final class Keygen implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ConfigOption config;

        @Option(names = "--out", paramLabel = "<file>", required = true, description = "Where to keep the key pair.")
        Path out;

        @Override
        public Integer call() throws IOException {
            if (Files.exists(out)) {
                throw new IllegalArgumentException(out + " exists already; a key is an identity, so it is not overwritten");
            }
            KeyPair keys = Keys.loadOrCreate(out);
            spec.commandLine().getOut().println(WorkerId.of(keys.getPublic()).value());
            return 0;
        }
    }

    @Command(name = "pubkey", mixinStandardHelpOptions = true,
            description = "Print the public key (PEM) of a worker's key file, for an allowlist, and its worker id.")
    static final class Pubkey implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ConfigOption config;

        @Option(names = "--key", paramLabel = "<file>", required = true, description = "The worker's key file.")
        Path key;

        @Override
        public Integer call() throws IOException {
            if (!Files.isRegularFile(key)) {
                throw new IllegalArgumentException("no key file at " + key);
            }
            KeyPair keys;
            try {
                keys = Keys.loadOrCreate(key);
            } catch (dev.muster.spi.InvalidRequestException e) {
                throw new IllegalArgumentException(key + ": " + e.getMessage());
            }
            spec.commandLine().getOut().print(Keys.toPem(keys.getPublic()));
            spec.commandLine().getErr().println("worker id " + WorkerId.of(keys.getPublic()).value());
            return 0;
        }
    }

    @Command(name = "hash-key", mixinStandardHelpOptions = true,
            description = "Print the SHA-256 of an API key, as the coordinator's transport.apiKeys setting keeps it"
                    + " (name:scope+scope:<hash>). The key is read from a file, or from standard input.")
    static final class HashKey implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ConfigOption config;

        @Option(names = "--file", paramLabel = "<file>", description = "A file holding the key; standard input without it.")
        Path file;

        @Override
        public Integer call() throws IOException {
            String key = (file == null ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(file, StandardCharsets.UTF_8)).strip();
            if (key.isEmpty()) {
                throw new IllegalArgumentException("the key is empty");
            }
            spec.commandLine().getOut().println(Digests.sha256Hex(key.getBytes(StandardCharsets.UTF_8)));
            return 0;
        }
    }
}
