package io.wixoauth.core.testing;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * What the container does to a bean, done by hand for tests without one: set an injected field, call a
 * {@code @PostConstruct} method. By name, so a renamed field fails the test that wires it, loudly.
 */
public final class Wiring {

    private Wiring() {
    }

    public static <T> T set(T bean, String field, Object value) {
        try {
            Field target = find(bean.getClass(), field);
            target.setAccessible(true);
            target.set(bean, value);
            return bean;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot inject " + field + " into " + bean.getClass().getName(), e);
        }
    }

    public static <T> T call(T bean, String method) {
        try {
            Method target = findMethod(bean.getClass(), method);
            target.setAccessible(true);
            target.invoke(bean);
            return bean;
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot call " + method + " on " + bean.getClass().getName(), e);
        }
    }

    private static Field find(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredField(name);
            } catch (NoSuchFieldException e) {
                // look in the superclass: the bean may be a test's subclass that runs its methods in transactions
            }
        }
        throw new NoSuchFieldException(name);
    }

    private static Method findMethod(Class<?> type, String name) throws NoSuchMethodException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(name) && m.getParameterCount() == 0) {
                    return m;
                }
            }
        }
        throw new NoSuchMethodException(name);
    }
}
