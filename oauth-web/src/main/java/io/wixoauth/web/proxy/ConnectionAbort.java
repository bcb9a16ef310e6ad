package io.wixoauth.web.proxy;

import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;

import java.lang.reflect.Field;

/**
 * Breaks the caller's connection mid-answer, as a proxy must when the upstream answer breaks off after part of it was
 * sent: it is the only way HTTP/1.1 has to say "this body is not whole". The Servlet API has no abort, and Payara
 * ends a committed answer properly whatever a filter throws (a chunked body gets its last chunk and looks complete),
 * so this reaches Grizzly's connection through Payara's response (Payara 6: {@code ResponseFacade.response}, then
 * public Grizzly methods). On another container, or if those change, it does nothing and says so.
 */
final class ConnectionAbort {

    private ConnectionAbort() {
    }

    /** True if the connection was closed. */
    static boolean abort(ServletResponse response) {
        ServletResponse unwrapped = response;
        while (unwrapped instanceof ServletResponseWrapper wrapper) {
            unwrapped = wrapper.getResponse();
        }
        try {
            Field catalina = field(unwrapped.getClass(), "response");
            catalina.setAccessible(true);
            Object grizzlyResponse = call(catalina.get(unwrapped), "getCoyoteResponse");
            Object connection = call(call(grizzlyResponse, "getRequest"), "getConnection");
            call(connection, "closeSilently");
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredField(name);
            } catch (NoSuchFieldException e) {
                // the field is declared higher up
            }
        }
        throw new NoSuchFieldException(name);
    }

    private static Object call(Object target, String method) throws ReflectiveOperationException {
        return target.getClass().getMethod(method).invoke(target);
    }
}
