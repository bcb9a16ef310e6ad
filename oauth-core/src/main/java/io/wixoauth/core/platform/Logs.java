package io.wixoauth.core.platform;

import java.util.logging.Logger;

/**
 * The service's loggers. Every line written while a request is being served starts with {@code [request <id>]}, the
 * id the caller got back and the audit trail records, so one request's lines can be found together. Payara's
 * java.util.logging has no MDC; a filter on each of the service's loggers adds the prefix instead.
 */
public final class Logs {

    private static final ThreadLocal<String> REQUEST = new ThreadLocal<>();

    private Logs() {
    }

    public static Logger of(Class<?> owner) {
        Logger logger = Logger.getLogger(owner.getName());
        logger.setFilter(record -> {
            String request = REQUEST.get();
            if (request != null && record.getMessage() != null && !record.getMessage().startsWith("[request ")) {
                record.setMessage("[request " + request + "] " + record.getMessage());
            }
            return true;
        });
        return logger;
    }

    /** Set by the web layer when a request starts; {@link #endRequest()} when it ends. */
    public static void beginRequest(String requestId) {
        REQUEST.set(requestId);
    }

    public static void endRequest() {
        REQUEST.remove();
    }
}
