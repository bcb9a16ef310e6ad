package io.wixoauth.bench;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Puts two processes on separate cores with Linux's {@code taskset} (every thread, {@code -a}), and back on all cores
 * when closed. Used for one measurement only: the service on core 0, the load generator and the simulator on core 1.
 */
final class CpuPinning implements AutoCloseable {

    /**
     * The machine's cores, read before anything is pinned: a process pinned to one core sees one, and putting it
     * "back on all cores" by that count left every later part of the benchmark on core 0.
     */
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private final long first;
    private final long second;

    private CpuPinning(long first, long second) {
        this.first = first;
        this.second = second;
    }

    /** {@code taskset} is there and the machine has at least two cores. */
    static boolean available() {
        return CORES >= 2 && run(List.of("taskset", "-p", String.valueOf(
                ProcessHandle.current().pid())));
    }

    static CpuPinning apart(long first, long second) {
        pin(first, "0");
        pin(second, "1");
        return new CpuPinning(first, second);
    }

    @Override
    public void close() {
        String all = "0-" + (CORES - 1);
        pin(first, all);
        pin(second, all);
    }

    private static void pin(long pid, String cpus) {
        if (!run(List.of("taskset", "-a", "-p", "-c", cpus, String.valueOf(pid)))) {
            throw new IllegalStateException("taskset could not pin process " + pid + " to CPUs " + cpus);
        }
    }

    private static boolean run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
