package io.wixoauth.web.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * Counts what is read, whoever reads it (a String reader, a resource's own stream, an HTTP client sending it on), and
 * throws {@code tooLarge} as soon as more than {@code limit} bytes have come: a body without an announced length is
 * held to the limit too, and never reaches memory beyond it.
 */
public final class BoundedInputStream extends FilterInputStream {

    private final Supplier<? extends RuntimeException> tooLarge;
    private long remaining;

    public BoundedInputStream(InputStream in, long limit, Supplier<? extends RuntimeException> tooLarge) {
        super(in);
        this.remaining = limit;
        this.tooLarge = tooLarge;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, (int) Math.min(length, remaining + 1));
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(int n) {
        remaining -= n;
        if (remaining < 0) {
            throw tooLarge.get();
        }
    }
}
