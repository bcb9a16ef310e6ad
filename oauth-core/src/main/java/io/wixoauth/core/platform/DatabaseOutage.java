package io.wixoauth.core.platform;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Tells a database that is down, unreachable or failing over from a database that refused a statement. The first is
 * an outage to wait out (503, keep what cannot be written yet); the second is a bug or a conflict.
 */
public final class DatabaseOutage {

    /** SQLState class 08 is "connection exception" (SQL standard); 90067 is H2's "connection is broken". */
    private static final Set<String> BROKEN_CONNECTION_STATES = Set.of("90067", "90098", "57P01", "57P02", "57P03");

    /** The pool could not hand out a connection at all. */
    private static final Set<String> POOL_FAILURES = Set.of("com.sun.appserv.connectors.internal.api.PoolingException",
            "jakarta.resource.ResourceException", "jakarta.resource.spi.ResourceAllocationException");

    private DatabaseOutage() {
    }

    public static boolean isCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || POOL_FAILURES.contains(t.getClass().getName())) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || BROKEN_CONNECTION_STATES.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
