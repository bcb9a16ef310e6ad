package io.wixoauth.web.http;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import java.io.IOException;

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
        context.setInputStream(new BoundedInputStream(context.getInputStream(), MAX_BYTES, BodyLimit::tooLarge));
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
}
