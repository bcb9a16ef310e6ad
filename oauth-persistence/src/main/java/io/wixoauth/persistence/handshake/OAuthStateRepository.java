package io.wixoauth.persistence.handshake;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.time.Instant;
import java.util.Optional;

@ApplicationScoped
public class OAuthStateRepository {

    @PersistenceContext(unitName = "oauth")
    EntityManager em;

    public void add(OAuthState state) {
        em.persist(state);
    }

    public Optional<OAuthState> find(String stateHash) {
        return Optional.ofNullable(em.find(OAuthState.class, stateHash));
    }

    /**
     * Marks the state used, if it is still unused and unexpired. One conditional UPDATE: of two concurrent callbacks
     * with the same state, exactly one sees {@code true}, on any database.
     */
    public boolean consume(String stateHash, Instant now) {
        return em.createQuery("UPDATE OAuthState s SET s.usedAt = :now "
                        + "WHERE s.stateHash = :hash AND s.usedAt IS NULL AND s.expiresAt > :now")
                .setParameter("now", now)
                .setParameter("hash", stateHash)
                .executeUpdate() == 1;
    }

    public int deleteExpiredBefore(Instant cutoff) {
        return em.createQuery("DELETE FROM OAuthState s WHERE s.expiresAt < :cutoff")
                .setParameter("cutoff", cutoff)
                .executeUpdate();
    }
}
