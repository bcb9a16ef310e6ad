package io.wixoauth.core.testing;

import io.wixoauth.persistence.schema.SchemaMigration;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import org.h2.jdbcx.JdbcDataSource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A real H2 database, migrated by the service's own Flyway scripts, with JPA run by hand the way the container runs
 * it: {@link #requiresNew} is an EJB method's own transaction, {@link #supports} a read outside any, and
 * {@link #entityManager()} is what a repository gets injected, always the current transaction's on this thread.
 * Several nodes may share one database, as they share PostgreSQL in production.
 */
public final class TestDatabase implements AutoCloseable {

    private final JdbcDataSource source = new JdbcDataSource();
    private final EntityManagerFactory jpa;
    private final ThreadLocal<Deque<EntityManager>> current = ThreadLocal.withInitial(ArrayDeque::new);
    private final ThreadLocal<Deque<List<Runnable>>> afterSuccess = ThreadLocal.withInitial(ArrayDeque::new);

    public TestDatabase() {
        source.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        source.setUser("oauth");
        source.setPassword("oauth");
        SchemaMigration.migrate(source);
        jpa = Persistence.createEntityManagerFactory("oauth", Map.of(
                "jakarta.persistence.transactionType", "RESOURCE_LOCAL",
                "jakarta.persistence.jtaDataSource", "",
                "jakarta.persistence.jdbc.url", source.getURL(),
                "jakarta.persistence.jdbc.user", "oauth",
                "jakarta.persistence.jdbc.password", "oauth"));
    }

    /** A plain connection, for what someone who can write the database might do behind the service's back. */
    public java.sql.Connection connection() throws java.sql.SQLException {
        return source.getConnection();
    }

    /** The injected {@code EntityManager}: the one of the transaction this thread is in; none is an error. */
    public EntityManager entityManager() {
        return (EntityManager) Proxy.newProxyInstance(EntityManager.class.getClassLoader(),
                new Class<?>[]{EntityManager.class}, (proxy, method, args) -> {
                    EntityManager em = current.get().peek();
                    if (em == null) {
                        throw new IllegalStateException("no transaction on this thread for " + method.getName());
                    }
                    try {
                        return method.invoke(em, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** A transaction of its own, committed when the work returns and rolled back when it throws. */
    public <T> T requiresNew(Supplier<T> work) {
        return within(true, work);
    }

    public void requiresNew(Runnable work) {
        within(true, () -> {
            work.run();
            return null;
        });
    }

    /**
     * A CDI {@code Event} with two observers, as the container calls them: {@code inProgress} at once, in the
     * transaction that fires it; {@code afterSuccess} once that transaction commits (never if it rolls back), or at
     * once when fired outside one.
     */
    @SuppressWarnings("unchecked")
    public <T> jakarta.enterprise.event.Event<T> event(java.util.function.Consumer<T> inProgress,
                                                       java.util.function.Consumer<T> observer) {
        return (jakarta.enterprise.event.Event<T>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{jakarta.enterprise.event.Event.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("fire")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    inProgress.accept((T) args[0]);
                    Runnable delivery = () -> observer.accept((T) args[0]);
                    List<Runnable> pending = afterSuccess.get().peek();
                    if (pending == null || !current.get().peek().getTransaction().isActive()) {
                        delivery.run();
                    } else {
                        pending.add(delivery);
                    }
                    return null;
                });
    }

    /** No transaction: reads see what others committed. */
    public <T> T supports(Supplier<T> work) {
        return current.get().isEmpty() ? within(false, work) : work.get();
    }

    private <T> T within(boolean transaction, Supplier<T> work) {
        EntityManager em = jpa.createEntityManager();
        current.get().push(em);
        List<Runnable> committed = new ArrayList<>();
        afterSuccess.get().push(committed);
        try {
            if (transaction) {
                em.getTransaction().begin();
            }
            T result = work.get();
            if (transaction) {
                em.getTransaction().commit();
            }
            afterSuccess.get().pop();
            committed.forEach(Runnable::run);
            return result;
        } finally {
            if (afterSuccess.get().peek() == committed) {
                afterSuccess.get().pop();
            }
            current.get().pop();
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }

    @Override
    public void close() {
        jpa.close();
        try (var connection = source.getConnection(); var statement = connection.createStatement()) {
            statement.execute("SHUTDOWN");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
