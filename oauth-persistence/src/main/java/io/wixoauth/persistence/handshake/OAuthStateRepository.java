package io.wixoauth.persistence.handshake;

import static io.wixoauth.persistence.schema.InstantConverter.utc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.time.Instant;

@ApplicationScoped
public class OAuthStateRepository {

    @PersistenceContext(unitName = "oauth")
    EntityManager em;

    /**
     * Records a state's use, unless it was used before: one conditional INSERT, true only for the first. (Two at once:
     * the second fails on the primary key, which the caller takes as "used".)
     */
    public boolean markUsed(String stateHash, Instant now, Instant expiresAt) {
        return em.createNativeQuery("INSERT INTO oauth_state (state_hash, created_at, expires_at, used_at) "
                        + "SELECT CAST(? AS VARCHAR(64)), ?, ?, ? WHERE NOT EXISTS "
                        + "(SELECT 1 FROM oauth_state WHERE state_hash = ?)")
                .setParameter(1, stateHash).setParameter(2, utc(now)).setParameter(3, utc(expiresAt))
                .setParameter(4, utc(now)).setParameter(5, stateHash)
                .executeUpdate() == 1;
    }

    public int deleteExpiredBefore(Instant cutoff) {
        return em.createQuery("DELETE FROM OAuthState s WHERE s.expiresAt < :cutoff")
                .setParameter("cutoff", cutoff)
                .executeUpdate();
    }
}
