package io.wixoauth.persistence.token;

import io.wixoauth.api.Secret;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.persistence.crypto.SealedToken;
import io.wixoauth.persistence.crypto.SealedTokenConverter;
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

    private static final SealedTokenConverter SEAL = new SealedTokenConverter();

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
     * Takes the fetch lease for the instance if nobody holds a live one: a conditional INSERT for an instance without a
     * row, else one conditional UPDATE, so of several nodes asking at once exactly one gets it, on any database. (Two
     * inserting at once: one fails on the primary key, and its caller asks again.)
     */
    public boolean tryLease(String instanceId, String holder, Instant now, Instant until) {
        int created = em.createNativeQuery("INSERT INTO shared_access_token (instance_id, lease_holder, lease_until) "
                        + "SELECT CAST(? AS VARCHAR(36)), CAST(? AS VARCHAR(64)), ? WHERE NOT EXISTS "
                        + "(SELECT 1 FROM shared_access_token WHERE instance_id = ?)")
                .setParameter(1, instanceId).setParameter(2, holder).setParameter(3, utc(until))
                .setParameter(4, instanceId).executeUpdate();
        return created == 1 || em.createNativeQuery("UPDATE shared_access_token SET lease_holder = ?, lease_until = ? "
                        + "WHERE instance_id = ? AND (lease_until IS NULL OR lease_until < ? OR lease_holder = ?)")
                .setParameter(1, holder).setParameter(2, utc(until)).setParameter(3, instanceId)
                .setParameter(4, utc(now)).setParameter(5, holder)
                .executeUpdate() == 1;
    }

    /**
     * Stores a token {@code holder} fetched, unless the row already holds one that expires later (two nodes never
     * overwrite a later token with an older one), and lets go of {@code holder}'s lease: one UPDATE, sealed as the
     * entity would seal it. Another node's lease is left alone.
     */
    public void publish(String instanceId, String holder, Secret token, String source, Instant expiresAt) {
        String sealed = SEAL.convertToDatabaseColumn(SealedToken.readable(InstanceId.of(instanceId), token, null));
        int stored = em.createNativeQuery("UPDATE shared_access_token SET token = ?, source = ?, expires_at = ?, "
                        + "lease_until = CASE WHEN lease_holder = ? THEN NULL ELSE lease_until END, "
                        + "lease_holder = CASE WHEN lease_holder = ? THEN NULL ELSE lease_holder END "
                        + "WHERE instance_id = ? AND (expires_at IS NULL OR expires_at < ?)")
                .setParameter(1, sealed).setParameter(2, source).setParameter(3, utc(expiresAt))
                .setParameter(4, holder).setParameter(5, holder).setParameter(6, instanceId)
                .setParameter(7, utc(expiresAt))
                .executeUpdate();
        if (stored == 0) {
            releaseLease(instanceId, holder);
        }
    }

    /**
     * Lets go of {@code holder}'s lease. A row that never held a token goes with it: a fetch that failed (an instance
     * Wix does not know, say) leaves nothing behind.
     */
    public void releaseLease(String instanceId, String holder) {
        em.createNativeQuery("DELETE FROM shared_access_token WHERE instance_id = ? AND lease_holder = ? AND token IS NULL")
                .setParameter(1, instanceId).setParameter(2, holder).executeUpdate();
        em.createNativeQuery("UPDATE shared_access_token SET lease_holder = NULL, lease_until = NULL "
                        + "WHERE instance_id = ? AND lease_holder = ?")
                .setParameter(1, instanceId).setParameter(2, holder).executeUpdate();
    }

    /** Drops the shared token, so every node fetches anew (the installation changed). */
    public void forget(String instanceId) {
        em.createNativeQuery("UPDATE shared_access_token SET token = NULL, source = NULL, expires_at = NULL "
                        + "WHERE instance_id = ?").setParameter(1, instanceId).executeUpdate();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
