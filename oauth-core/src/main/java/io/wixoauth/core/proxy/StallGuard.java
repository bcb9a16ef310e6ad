package io.wixoauth.core.proxy;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wix's answer bodies as they arrive, with a bound on silence: a body from which no byte has come for {@code idle}
 * is closed, and reading it fails. The JDK client's own timeout ends when the headers arrive; without this, a Wix
 * that stalled mid-body would hold the caller's request thread for as long as the connection stayed open.
 *
 * <p>One guard watches every open body: {@link #cutSilent} runs every {@link #checkEvery()} from one scheduled task,
 * so a call costs an entry in a set, not a timer of its own.
 */
final class StallGuard {

    private final Duration idle;
    private final Set<Body> open = ConcurrentHashMap.newKeySet();

    StallGuard(Duration idle) {
        this.idle = idle;
    }

    /** How often to look: a quarter of the allowed silence, between 100 ms and a second. */
    Duration checkEvery() {
        Duration quarter = idle.dividedBy(4);
        return quarter.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100)
                : quarter.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : quarter;
    }

    InputStream watch(InputStream body) {
        Body watched = new Body(body);
        open.add(watched);
        return watched;
    }

    /** Closes every body that has been silent for the allowed time. */
    void cutSilent() {
        long now = System.nanoTime();
        for (Body body : open) {
            if (now - body.lastProgress >= idle.toNanos()) {
                body.cut();
            }
        }
    }

    int watched() {
        return open.size();
    }

    private final class Body extends FilterInputStream {
        private volatile long lastProgress = System.nanoTime();
        private volatile boolean stalled;

        Body(InputStream in) {
            super(in);
        }

        void cut() {
            stalled = true;
            open.remove(this);
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
            return new IOException("Wix's answer stalled: nothing arrived for " + idle.toMillis() + " ms");
        }

        @Override
        public void close() throws IOException {
            open.remove(this);
            in.close();
        }
    }
}
