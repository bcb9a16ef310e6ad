package io.wixoauth.persistence.installation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.CacheRetrieveMode;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** The cluster's shared tokens and fetch leases; every method joins the caller's (short) transaction. */
@ApplicationScoped
public class SharedTokenRepository {

    @PersistenceContext(unitName = "oauth")
    EntityManager em;

    /**
     * Always from the database, never from a cache: the row is written by other nodes, and by native statements that
     * EclipseLink's caches do not see.
     */
    public Optional<SharedAccessToken> find(String instanceId) {
        return em.createQuery("SELECT s FROM SharedAccessToken s WHERE s.instanceId = :instanceId", SharedAccessToken.class)
                .setParameter("instanceId", instanceId)
                .setHint("jakarta.persistence.cache.retrieveMode", CacheRetrieveMode.BYPASS)
                .setHint("eclipselink.refresh", "true")
                .getResultStream()
                .findFirst();
    }

    /**
     * Takes the fetch lease for the instance if nobody holds a live one: one conditional UPDATE, so of several nodes
     * asking at once exactly one gets it, on any database. The row is created first if the instance has none.
     */
    public boolean tryLease(String instanceId, String holder, Instant now, Instant until) {
        em.createNativeQuery("INSERT INTO shared_access_token (instance_id) SELECT CAST(? AS VARCHAR(36)) WHERE NOT EXISTS "
                        + "(SELECT 1 FROM shared_access_token WHERE instance_id = ?)")
                .setParameter(1, instanceId).setParameter(2, instanceId).executeUpdate();
        return em.createNativeQuery("UPDATE shared_access_token SET lease_holder = ?, lease_until = ? WHERE instance_id = ? "
                        + "AND (lease_until IS NULL OR lease_until < ? OR lease_holder = ?)")
                .setParameter(1, holder).setParameter(2, utc(until)).setParameter(3, instanceId)
                .setParameter(4, utc(now)).setParameter(5, holder)
                .executeUpdate() == 1;
    }

    public void releaseLease(String instanceId, String holder) {
        em.createNativeQuery("UPDATE shared_access_token SET lease_holder = NULL, lease_until = NULL "
                        + "WHERE instance_id = ? AND lease_holder = ?")
                .setParameter(1, instanceId).setParameter(2, holder).executeUpdate();
    }

    /** Drops the shared token, so every node fetches anew (the installation changed). */
    public void forget(String instanceId) {
        em.createNativeQuery("UPDATE shared_access_token SET token = NULL, source = NULL, expires_at = NULL "
                        + "WHERE instance_id = ?").setParameter(1, instanceId).executeUpdate();
    }

    public void flush() {
        em.flush();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
