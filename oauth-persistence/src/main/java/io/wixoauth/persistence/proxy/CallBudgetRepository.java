package io.wixoauth.persistence.proxy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** Each instance's calls to Wix in the current minute, for every node; every method joins the caller's transaction. */
@ApplicationScoped
public class CallBudgetRepository {

    /** What a node was granted: {@code calls} it may make in {@code minute}, or none until {@code blockedUntilMs}. */
    public record Grant(long minute, int calls, long blockedUntilMs) {
    }

    @PersistenceContext(unitName = "oauth")
    EntityManager em;

    /**
     * Takes up to {@code wanted} calls of the instance's {@code limit} for clock minute {@code minute}, under the row's
     * lock (a conditional INSERT for a new instance, then SELECT ... FOR UPDATE and one UPDATE), so the nodes together
     * never take more than the limit in a minute. None while Wix's back-off runs ({@code blocked_until_ms > nowMs}).
     * Two nodes inserting the same new instance at once: one fails on the primary key, and its caller asks again.
     */
    public Grant take(String instanceId, long minute, int wanted, int limit, long nowMs) {
        Object[] row = null;
        for (int attempt = 0; row == null && attempt < 3; attempt++) { // the purge may remove a stale row in between
            em.createNativeQuery("INSERT INTO wix_call_budget (instance_id, minute_epoch, used, blocked_until_ms) "
                            + "SELECT CAST(? AS VARCHAR(36)), CAST(? AS BIGINT), 0, 0 WHERE NOT EXISTS "
                            + "(SELECT 1 FROM wix_call_budget WHERE instance_id = ?)")
                    .setParameter(1, instanceId).setParameter(2, minute).setParameter(3, instanceId).executeUpdate();
            row = (Object[]) em.createNativeQuery("SELECT minute_epoch, used, blocked_until_ms FROM wix_call_budget "
                            + "WHERE instance_id = ? FOR UPDATE")
                    .setParameter(1, instanceId).getResultStream().findFirst().orElse(null);
        }
        if (row == null) {
            throw new jakarta.persistence.PersistenceException("the budget row of " + instanceId + " could not be read");
        }
        long blockedUntil = ((Number) row[2]).longValue();
        if (blockedUntil > nowMs) {
            return new Grant(minute, 0, blockedUntil);
        }
        int used = ((Number) row[0]).longValue() == minute ? ((Number) row[1]).intValue() : 0;
        int granted = Math.max(0, Math.min(wanted, limit - used));
        em.createNativeQuery("UPDATE wix_call_budget SET minute_epoch = ?, used = ? WHERE instance_id = ?")
                .setParameter(1, minute).setParameter(2, used + granted).setParameter(3, instanceId).executeUpdate();
        return new Grant(minute, granted, 0);
    }

    /** Wix answered 429: no node calls Wix for the instance until {@code untilMs} (a later back-off is kept). */
    public void blockUntil(String instanceId, long untilMs) {
        em.createNativeQuery("UPDATE wix_call_budget SET blocked_until_ms = ? WHERE instance_id = ? "
                        + "AND blocked_until_ms < ?")
                .setParameter(1, untilMs).setParameter(2, instanceId).setParameter(3, untilMs).executeUpdate();
    }

    /** Budgets of minutes long past with no back-off running: they hold nothing a call needs (retention). */
    public long countStale(long beforeMinute, long nowMs) {
        return ((Number) em.createNativeQuery("SELECT COUNT(*) FROM wix_call_budget WHERE minute_epoch < ? "
                        + "AND blocked_until_ms <= ?")
                .setParameter(1, beforeMinute).setParameter(2, nowMs).getSingleResult()).longValue();
    }

    public int deleteStale(long beforeMinute, long nowMs, int limit) {
        return em.createNativeQuery("DELETE FROM wix_call_budget WHERE instance_id IN (SELECT instance_id FROM "
                        + "wix_call_budget WHERE minute_epoch < ? AND blocked_until_ms <= ? ORDER BY instance_id LIMIT ?)")
                .setParameter(1, beforeMinute).setParameter(2, nowMs).setParameter(3, limit).executeUpdate();
    }
}
