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
        cli.setDefaultValueProvider(new Defaults(args, env));
        cli.setParameterExceptionHandler((e, a) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println(failed.getCommandName() + ": " + oneLine(e.getMessage()) + " (see "
                    + failed.getCommandSpec().qualifiedName() + " --help)");
            return CommandLine.ExitCode.USAGE;
        });
        cli.setExecutionExceptionHandler((e, failed, parsed) -> {
            failed.getErr().println(failed.getCommandName() + ": " + oneLine(e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()));
            return e instanceof CommandLine.ParameterException || e instanceof IllegalArgumentException
                    ? CommandLine.ExitCode.USAGE : CommandLine.ExitCode.SOFTWARE;
        });
        return cli.execute(args);
    }

    static String oneLine(String message) {
        return message.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    /**
     * Defaults of options not on the command line: the config file's value under the option's
     * long name without dashes, else the environment's {@code MUSTER_NAME}.
     */
    static final class Defaults implements CommandLine.IDefaultValueProvider {
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
                } catch (IOException e) {
                    throw new CommandLine.InitializationException("cannot read the config file " + file + ": "
                            + e.getMessage());
                }
            }
        }

        @Override
        public String defaultValue(ArgSpec arg) {
            if (!(arg instanceof OptionSpec option) || option.longestName().equals("--config")) {
                return null;
            }
            String name = option.longestName().replaceFirst("^-+", "");
            String fromFile = config.getProperty(name);
            if (fromFile != null) {
                return fromFile;
            }
            return env.get("MUSTER_" + name.replace('-', '_').toUpperCase(Locale.ROOT));
        }
    }
}
