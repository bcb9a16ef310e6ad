package io.wixoauth.core.proxy;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Wix's answer body as it arrives, with a bound on silence: when no byte has come for {@code idle}, the body is
 * closed and reading it fails. The JDK client's own timeout ends when the headers arrive; without this, a Wix that
 * stalled mid-body would hold the caller's request thread for as long as the connection stayed open.
 */
final class StallGuard extends FilterInputStream {

    private final Duration idle;
    private final ScheduledExecutorService scheduler;
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean stalled;
    private volatile ScheduledFuture<?> check;

    StallGuard(InputStream body, Duration idle, ScheduledExecutorService scheduler) {
        super(body);
        this.idle = idle;
        this.scheduler = scheduler;
        checkIn(idle.toNanos());
    }

    private void checkIn(long nanos) {
        check = scheduler.schedule(this::check, nanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        long quiet = System.nanoTime() - lastProgress;
        if (quiet < idle.toNanos()) {
            checkIn(idle.toNanos() - quiet);
            return;
        }
        stalled = true;
        try {
            in.close(); // wakes a read blocked on the client's queue
        } catch (IOException e) {
            // closing is all that is wanted
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int read = read(one, 0, 1);
        return read < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int read;
        try {
            read = in.read(buffer, offset, length);
        } catch (IOException e) {
            throw stalled ? stalledException() : e;
        }
        if (stalled) {
            throw stalledException(); // a closed body may read as an end: it was not one
        }
        lastProgress = System.nanoTime();
        return read;
    }

    private IOException stalledException() {
        return new IOException("Wix's answer stalled: nothing arrived for " + idle.toSeconds() + " s");
    }

    @Override
    public void close() throws IOException {
        ScheduledFuture<?> pending = check;
        if (pending != null) {
            pending.cancel(false);
        }
        stalled = false;
        in.close();
    }
}
