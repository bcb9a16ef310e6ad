package io.wixoauth.web.handshake;

import jakarta.servlet.http.HttpServletRequest;

import java.util.UUID;

/** The id of one browser request, shown on its page and written to the logs, so operations can find it. */
public final class RequestReference {

    private static final String ATTRIBUTE = RequestReference.class.getName();

    private RequestReference() {
    }

    public static String of(HttpServletRequest request) {
        Object existing = request.getAttribute(ATTRIBUTE);
        if (existing instanceof String reference) {
            return reference;
        }
        String reference = UUID.randomUUID().toString();
        request.setAttribute(ATTRIBUTE, reference);
        return reference;
    }
}
