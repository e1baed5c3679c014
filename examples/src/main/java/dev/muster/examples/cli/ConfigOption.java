package dev.muster.examples.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config} option every command takes: the file {@link Muster.Defaults} reads defaults from. */
final class ConfigOption {
    @Option(names = "--config", paramLabel = "<file>",
            description = "A properties file of defaults for the options, by long name (e.g. url=...); also MUSTER_CONFIG.")
    Path config;
}
