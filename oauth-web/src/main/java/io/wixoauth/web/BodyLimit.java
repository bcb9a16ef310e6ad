package io.wixoauth.web;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Every request body the service reads is at most 64 KiB (a Wix webhook is a few kilobytes, an admin body a reason):
 * a larger one is refused with 413 before it is read, or as soon as it passes the limit when its length was not
 * announced. Nothing bigger ever reaches memory. The one exception is an import file ({@code application/x-ndjson},
 * for operators only), which is read a bounded line at a time and never held whole.
 */
@Provider
public class BodyLimit implements ReaderInterceptor {

    public static final int MAX_BYTES = 64 * 1024;
    private static final MediaType STREAMED = MediaType.valueOf("application/x-ndjson");

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (context.getMediaType() != null && STREAMED.isCompatible(context.getMediaType())) {
            return context.proceed();
        }
        if (announcedTooLarge(context.getHeaders().getFirst(HttpHeaders.CONTENT_LENGTH))) {
            throw tooLarge();
        }
        context.setInputStream(new Bounded(context.getInputStream()));
        return context.proceed();
    }

    /** The HTTP layer has already refused a Content-Length that is not a number. */
    private static boolean announcedTooLarge(String contentLength) {
        return contentLength != null && contentLength.chars().allMatch(Character::isDigit)
                && (contentLength.length() > 9 || Long.parseLong(contentLength) > MAX_BYTES);
    }

    private static WebApplicationException tooLarge() {
        return new WebApplicationException(Response.status(Response.Status.REQUEST_ENTITY_TOO_LARGE).build());
    }

    /** Counts what is read and stops at the limit, whoever reads (a String reader, a resource's own stream). */
    private static final class Bounded extends FilterInputStream {
        private long remaining = MAX_BYTES;

        Bounded(InputStream in) {
            super(in);
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
                throw tooLarge();
            }
        }
    }
}
