package io.wixoauth.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command run to its end in {@code directory}, as a user would run it (npm, node, java): its exit code and what it
 * printed, standard error included. For tests that run the official SDK and the README's examples.
 */
public record CommandRun(int exitCode, String output) {

    /** Runs {@code command}; one that has not ended after {@code seconds} is killed and reported as an error. */
    public static CommandRun of(Path directory, List<String> command, Map<String, String> environment, int seconds)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Path output = Files.createTempFile("command", ".log");
        try {
            Process process = builder.redirectOutput(output.toFile()).start();
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(command + " did not finish within " + seconds + " s:\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            return new CommandRun(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
