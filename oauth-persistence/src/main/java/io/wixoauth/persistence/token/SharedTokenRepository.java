package io.wixoauth.persistence.token;

import static io.wixoauth.persistence.schema.InstantConverter.utc;
import io.wixoauth.api.Secret;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.persistence.crypto.SealedToken;
import io.wixoauth.persistence.crypto.SealedTokenConverter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.CacheRetrieveMode;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
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
     * Stores a token {@code holder} fetched and lets go of the lease, if the lease is still {@code holder}'s: one
     * UPDATE, sealed as the entity would seal it. A row that holds a token expiring later keeps it (two fetches never
     * overwrite a later token with an older one). False when the lease is no longer {@code holder}'s: it ran out and
     * another fetch took it, or the installation changed ({@link #forget}); then what {@code holder} fetched may
     * already be stale, and nothing is stored.
     */
    public boolean publish(String instanceId, String appId, String holder, Secret token, String source,
                           Instant expiresAt) {
        String sealed = SEAL.convertToDatabaseColumn(SealedToken.readable(InstanceId.of(instanceId), token, null));
        int stored = em.createNativeQuery("UPDATE shared_access_token SET token = ?, source = ?, expires_at = ?, "
                        + "app_id = ?, lease_holder = NULL, lease_until = NULL "
                        + "WHERE instance_id = ? AND lease_holder = ? AND (expires_at IS NULL OR expires_at < ?)")
                .setParameter(1, sealed).setParameter(2, source).setParameter(3, utc(expiresAt))
                .setParameter(4, appId).setParameter(5, instanceId).setParameter(6, holder)
                .setParameter(7, utc(expiresAt))
                .executeUpdate();
        return stored == 1 || releaseLease(instanceId, holder);
    }

    /**
     * Lets go of {@code holder}'s lease; false if it held none. A row that never held a token goes with it: a fetch that
     * failed (an instance Wix does not know, say) leaves nothing behind.
     */
    public boolean releaseLease(String instanceId, String holder) {
        int deleted = em.createNativeQuery("DELETE FROM shared_access_token WHERE instance_id = ? AND lease_holder = ? "
                        + "AND token IS NULL")
                .setParameter(1, instanceId).setParameter(2, holder).executeUpdate();
        return deleted + em.createNativeQuery("UPDATE shared_access_token SET lease_holder = NULL, lease_until = NULL "
                        + "WHERE instance_id = ? AND lease_holder = ?")
                .setParameter(1, instanceId).setParameter(2, holder).executeUpdate() > 0;
    }

    /**
     * Drops the shared tokens and any leases, so every node fetches anew (the installations changed), in one statement
     * (an import batch changes up to a thousand): a fetch in flight read the installation as it was, and finds its
     * lease gone when it comes to publish.
     */
    public void forget(Collection<String> instanceIds) {
        if (instanceIds.isEmpty()) {
            return;
        }
        List<String> ids = List.copyOf(instanceIds);
        Query forget = em.createNativeQuery("UPDATE shared_access_token SET token = NULL, source = NULL, "
                + "expires_at = NULL, lease_holder = NULL, lease_until = NULL WHERE instance_id IN ("
                + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")");
        for (int i = 0; i < ids.size(); i++) {
            forget.setParameter(i + 1, ids.get(i));
        }
        forget.executeUpdate();
    }
}
