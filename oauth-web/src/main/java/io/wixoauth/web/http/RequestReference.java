package io.wixoauth.web.http;

import jakarta.servlet.http.HttpServletRequest;

import java.util.UUID;

/**
 * The id of one request, shown on a browser's page, returned to API callers and written to the logs and the audit
 * trail, so operations can find it. A caller's own {@code X-Request-Id} is kept when it looks like an id.
 */
public final class RequestReference {

    private static final String ATTRIBUTE = RequestReference.class.getName();
    private static final java.util.regex.Pattern OFFERED = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{8,64}");

    private RequestReference() {
    }

    public static String of(HttpServletRequest request) {
        Object existing = request.getAttribute(ATTRIBUTE);
        if (existing instanceof String reference) {
            return reference;
        }
        String offered = request.getHeader("X-Request-Id");
        String reference = offered != null && OFFERED.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
        request.setAttribute(ATTRIBUTE, reference);
        return reference;
    }
}
