package dev.muster.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code muster} command line: the standalone coordinator and worker, the calls an operator or
 * a submitter makes over the HTTP API, and key tools. An option not given on the command line is
 * taken from the config file ({@code --config}, or {@code MUSTER_CONFIG}; the option's long name
 * without dashes as the key, e.g. {@code url=...}), then from the environment ({@code MUSTER_} and
 * the name in capitals, e.g. {@code MUSTER_URL}). Secrets (API keys) are read from files, so they
 * never show in a process list. A bad argument is one line on standard error and exit code 2; a
 * refused call is one line and exit code 1.
 */
@Command(name = "muster", mixinStandardHelpOptions = true, version = "muster 0.1.0",
        description = "Coordinator for donated and pooled compute.",
        subcommands = {ServerCommands.Coordinator.class, ServerCommands.Worker.class,
                JobCommands.Submit.class, JobCommands.Jobs.class, JobCommands.Job.class, JobCommands.Result.class,
                JobCommands.Cancel.class, AdminCommands.Workers.class, AdminCommands.Drain.class,
                AdminCommands.Ban.class, AdminCommands.Allowlist.class, KeyCommands.Keygen.class,
                KeyCommands.Pubkey.class, KeyCommands.HashKey.class})
public final class Muster implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Without a command: the list of commands. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Runs the command line.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                System.getenv()));
    }

    /**
     * Runs the command line with its output and environment given, for tests.
     *
     * @return the exit code
     */
    static int execute(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        CommandLine cli = new CommandLine(new Muster());
        cli.setOut(out).setErr(err);
        try {
            cli.setDefaultValueProvider(new Defaults(args, env));
        } catch (CommandLine.InitializationException e) {
            err.println("muster: " + oneLine(e.getMessage()));
            return CommandLine.ExitCode.USAGE;
        }
        cli.setParameterExceptionHandler((e, a) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println(failed.getCommandName() + ": " + oneLine(e.getMessage()) + " (see "
                    + failed.getCommandSpec().qualifiedName() + " --help)");
            return CommandLine.ExitCode.USAGE;
        });
        cli.setExecutionExceptionHandler((e, failed, parsed) -> {
            boolean usage = e instanceof CommandLine.ParameterException || e instanceof IllegalArgumentException
                    || e instanceof java.nio.file.NoSuchFileException || e instanceof java.nio.file.AccessDeniedException;
            String message = e instanceof java.nio.file.NoSuchFileException ? "no file " + e.getMessage()
                    : e instanceof java.nio.file.AccessDeniedException ? "may not read or write " + e.getMessage()
                    : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            failed.getErr().println(failed.getCommandName() + ": " + oneLine(message));
            return usage ? CommandLine.ExitCode.USAGE : CommandLine.ExitCode.SOFTWARE;
        });
        return cli.execute(args);
    }

    static String oneLine(String message) {
        return message.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    /**
     * Defaults of options not on the command line: the config file's value under the option's
     * long name without dashes, else the environment's {@code MUSTER_NAME}. The inputs of one call
     * ({@code --file}, {@code --out}) and the help options take no default: a default meant for
     * one command would be read by another. A config file with dotted keys is refused: those are
     * the coordinator's own settings, which {@code muster coordinator --settings} takes.
     */
    static final class Defaults implements CommandLine.IDefaultValueProvider {
        private static final java.util.Set<String> NO_DEFAULT = java.util.Set.of("config", "file", "out", "help",
                "version");

        private final Properties config = new Properties();
        private final Map<String, String> env;

        Defaults(String[] args, Map<String, String> env) {
            this.env = env;
            String file = null;
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--config") && i + 1 < args.length) {
                    file = args[i + 1];
                } else if (args[i].startsWith("--config=")) {
                    file = args[i].substring("--config=".length());
                }
            }
            if (file == null) {
                file = env.get("MUSTER_CONFIG");
            }
            if (file != null) {
                try (Reader r = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
                    config.load(r);
                } catch (IOException | IllegalArgumentException e) {
                    throw new CommandLine.InitializationException("cannot read the config file " + file + " ("
                            + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
                }
                for (String key : config.stringPropertyNames()) {
                    if (key.contains(".")) {
                        throw new CommandLine.InitializationException("the config file " + file + " holds '" + key
                                + "', a setting of the coordinator: give those with muster coordinator --settings;"
                                + " this file takes option names (url=..., port=...)");
                    }
                }
            }
        }

        @Override
        public String defaultValue(ArgSpec arg) {
            if (!(arg instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
                return null;
            }
            String name = option.longestName().replaceFirst("^-+", "");
            if (NO_DEFAULT.contains(name)) {
                return null;
            }
            String fromFile = config.getProperty(name);
            if (fromFile != null) {
                return fromFile;
            }
            String fromEnv = env.get("MUSTER_" + name.replace('-', '_').toUpperCase(Locale.ROOT));
            // Kubernetes names a service's address MUSTER_PORT=tcp://...: not a port number.
            if (fromEnv != null && name.equals("port") && !fromEnv.matches("\\d{1,5}")) {
                return null;
            }
            return fromEnv;
        }
    }
}
