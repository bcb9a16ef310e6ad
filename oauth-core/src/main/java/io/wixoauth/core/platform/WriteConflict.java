package io.wixoauth.core.platform;

import jakarta.persistence.OptimisticLockException;

import java.sql.SQLException;

/**
 * Tells a write that lost a race (another transaction inserted the same key, or changed the row first) from other
 * failures: trying again reads what the winner wrote, and usually succeeds.
 */
public final class WriteConflict {

    private WriteConflict() {
    }

    public static boolean isCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OptimisticLockException
                    || t.getClass().getName().equals("org.eclipse.persistence.exceptions.OptimisticLockException")) {
                return true;
            }
            // SQLState class 23 is "integrity constraint violation" (SQL standard): here, a duplicate instance id.
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23")) {
                return true;
            }
        }
        return false;
    }
}
