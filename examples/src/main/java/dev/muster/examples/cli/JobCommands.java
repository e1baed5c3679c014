package dev.muster.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The submitter's commands: submit jobs, list them, read one, fetch its result, cancel it. */
final class JobCommands {
    private JobCommands() {}

    private static PrintWriter out(CommandSpec spec) {
        return spec.commandLine().getOut();
    }

    @Command(name = "submit", mixinStandardHelpOptions = true,
            description = "Submit jobs from a JSON file: an array of jobs as POST /v1/jobs takes them, an object"
                    + " {\"jobs\": [...]}, or one job per line. Prints each job's id and state.")
    static final class Submit implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Api api;

        @Option(names = "--file", paramLabel = "<file>", required = true, description = "The jobs.")
        Path file;

        @Option(names = "--batch", paramLabel = "<n>", defaultValue = "100",
                description = "Jobs per request, 1 to 1000 (default ${DEFAULT-VALUE}).")
        int batch;

        @Override
        public Integer call() throws IOException {
            if (batch < 1 || batch > 1_000) {
                throw new IllegalArgumentException("--batch takes 1 to 1000, not " + batch);
            }
            List<JsonNode> jobs = read(file);
            for (int i = 0; i < jobs.size(); i += batch) {
                JsonNode answer = api.call("POST", "jobs", Map.of("jobs", jobs.subList(i, Math.min(jobs.size(), i + batch))));
                for (JsonNode j : answer.path("jobs")) {
                    out(spec).println(j.path("id").asText() + " " + j.path("state").asText());
                }
            }
            return 0;
        }

        private static List<JsonNode> read(Path file) throws IOException {
            String text;
            try {
                text = Files.readString(file).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
            }
            List<JsonNode> jobs = new ArrayList<>();
            try {
                if (text.startsWith("[")) {
                    Api.JSON.readTree(text).forEach(jobs::add);
                } else if (text.startsWith("{") && Api.JSON.readTree(text).has("jobs")) {
                    Api.JSON.readTree(text).get("jobs").forEach(jobs::add);
                } else {
                    for (String line : text.split("\\R")) {
                        if (!line.isBlank()) {
                            jobs.add(Api.JSON.readTree(line));
                        }
                    }
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException(file + " is not JSON: " + e.getOriginalMessage());
            }
            if (jobs.isEmpty()) {
                throw new IllegalArgumentException(file + " holds no jobs");
            }
            return jobs;
        }
    }

    @Command(name = "jobs", mixinStandardHelpOptions = true,
            description = "List your jobs (all jobs, for an admin key), a page at a time: id, state, type, seed.")
    static final class Jobs implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Api api;

        @Option(names = "--state", paramLabel = "<state>", description = "queued, running, accepted, failed or cancelled.")
        String state;

        @Option(names = "--after", paramLabel = "<id>", description = "Continue after this job id (a page's last).")
        String after;

        @Option(names = "--limit", paramLabel = "<n>", defaultValue = "100", description = "Jobs per page (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            if (limit < 1 || limit > 1_000) {
                throw new IllegalArgumentException("--limit takes 1 to 1000, not " + limit);
            }
            if (state != null && !java.util.Set.of("queued", "running", "accepted", "failed", "cancelled")
                    .contains(state)) {
                throw new IllegalArgumentException("--state takes queued, running, accepted, failed or cancelled, not '"
                        + state + "'");
            }
            StringBuilder q = new StringBuilder("jobs?limit=" + limit);
            if (state != null) {
                q.append("&state=").append(state);
            }
            if (after != null) {
                q.append("&after=").append(after);
            }
            JsonNode page = api.call("GET", q.toString(), null);
            for (JsonNode j : page.path("jobs")) {
                out(spec).println(j.path("id").asText() + " " + j.path("state").asText() + " " + j.path("type").asText()
                        + " " + j.path("seed").asText());
            }
            if (page.hasNonNull("next")) {
                out(spec).println("next: --after " + page.get("next").asText());
            }
            return 0;
        }
    }

    @Command(name = "job", mixinStandardHelpOptions = true, description = "Show one job, with its progress, as JSON.")
    static final class Job implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Api api;

        @Parameters(paramLabel = "<id>", description = "The job id.")
        long id;

        @Override
        public Integer call() throws IOException {
            out(spec).println(Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(api.call("GET", "jobs/" + id, null)));
            return 0;
        }
    }

    @Command(name = "result", mixinStandardHelpOptions = true,
            description = "Fetch the accepted result of a job: its bytes to a file, or to standard output.")
    static final class Result implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Api api;

        @Parameters(paramLabel = "<id>", description = "The job id.")
        long id;

        @Option(names = "--out", paramLabel = "<file>", description = "Where to write the result.")
        Path out;

        @Override
        public Integer call() throws IOException {
            byte[] result = Base64.getDecoder().decode(api.call("GET", "jobs/" + id + "/result", null).path("result").asText());
            if (out != null) {
                Files.write(out, result);
            } else {
                System.out.write(result);
                System.out.flush();
                if (System.out.checkError()) {
                    throw new Api.Refused("could not write the result to standard output");
                }
            }
            return 0;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a job that has not finished.")
    static final class Cancel implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Api api;

        @Parameters(paramLabel = "<id>", description = "The job id.")
        long id;

        @Override
        public Integer call() {
            JsonNode job = api.call("POST", "jobs/" + id + "/cancel", null);
            out(spec).println(job.path("id").asText() + " " + job.path("state").asText());
            return 0;
        }
    }
}
