package io.wixoauth.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The same measurement by an independent load generator, {@code wrk} (Debian's package), so a ratio does not depend
 * on this harness's own client. Absent wrk, the row says so instead of a figure.
 */
final class Wrk {

    record Result(double perSecond, double p50Millis, double p99Millis, long non2xx, String command) {
    }

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");

    private Wrk() {
    }

    static boolean available() {
        try {
            Process probe = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code connections} connections on 2 threads for {@code duration}; {@code bearer} may be null. */
    static Result run(URI url, String bearer, int connections, Duration duration) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c" + connections, "-d" + duration.toSeconds() + "s",
                "--latency"));
        if (bearer != null) {
            command.addAll(List.of("-H", "Authorization: Bearer " + bearer));
        }
        command.add(url.toString());
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!wrk.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS) || wrk.exitValue() != 0) {
            wrk.destroyForcibly();
            throw new IOException("wrk failed: " + out);
        }
        String joined = String.join(" ", command);
        String shown = bearer == null ? joined : joined.replace(bearer, "$TOKEN"); // never a token in the report
        return new Result(number(RATE, out).orElseThrow(() -> new IOException("no rate in: " + out)),
                latency(out, "50%"), latency(out, "99%"), number(NON_2XX, out).map(Double::longValue).orElse(0L), shown);
    }

    private static Optional<Double> number(Pattern pattern, String out) {
        Matcher m = pattern.matcher(out);
        return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
    }

    /** wrk prints "99%   12.34ms" (or us, or s). */
    private static double latency(String out, String percentile) {
        Matcher m = Pattern.compile("\\s" + Pattern.quote(percentile) + "\\s+([0-9.]+)(us|ms|s)\\b").matcher(out);
        if (!m.find()) {
            return Double.NaN;
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }
}
