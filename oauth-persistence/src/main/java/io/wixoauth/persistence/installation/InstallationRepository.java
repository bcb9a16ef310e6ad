package io.wixoauth.persistence.installation;

import static io.wixoauth.persistence.schema.InstantConverter.instant;
import static io.wixoauth.persistence.schema.InstantConverter.utc;
import io.wixoauth.api.installation.InstanceId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Installations; every method joins the caller's transaction: the services decide where transactions begin and end. */
@ApplicationScoped
public class InstallationRepository {

    @PersistenceContext(unitName = "oauth")
    EntityManager em;

    public InstallationRepository() {
    }

    /** Outside a container, e.g. in tests with a resource-local entity manager. */
    InstallationRepository(EntityManager em) {
        this.em = em;
    }

    public Optional<Installation> findByInstanceId(InstanceId instanceId) {
        return byInstanceId(instanceId, LockModeType.NONE);
    }

    /**
     * The installation, locked for the rest of the caller's transaction: concurrent writers of one installation (ten
     * callbacks of one install, a fallback beside them) take turns instead of failing on its version.
     */
    public Optional<Installation> lockByInstanceId(InstanceId instanceId) {
        return byInstanceId(instanceId, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The installations of these instances that exist, locked like {@link #lockByInstanceId}: one query for a batch. */
    public List<Installation> lockAll(java.util.Collection<String> instanceIds) {
        if (instanceIds.isEmpty()) {
            return List.of();
        }
        return em.createQuery("SELECT i FROM Installation i WHERE i.instanceId IN :ids", Installation.class)
                .setParameter("ids", instanceIds).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
    }

    private Optional<Installation> byInstanceId(InstanceId instanceId, LockModeType lock) {
        TypedQuery<Installation> query = em.createNamedQuery(Installation.FIND_BY_INSTANCE_ID, Installation.class)
                .setParameter("instanceId", instanceId.value());
        if (lock != LockModeType.NONE) {
            query.setLockMode(lock); // only inside a transaction
        }
        return query.getResultStream().findFirst();
    }

    public void add(Installation installation) {
        em.persist(installation);
    }

    /** Installations a browser claimed and Wix never confirmed, kept until before {@code cutoff}: they go. */
    public int deleteUnconfirmedBefore(Instant cutoff) {
        return em.createQuery("DELETE FROM Installation i WHERE i.unconfirmedUntil < :cutoff")
                .setParameter("cutoff", cutoff).executeUpdate();
    }

    public void remove(Installation installation) {
        em.remove(installation);
    }

    /** Writes pending changes now, so a constraint violation surfaces inside the caller's transaction step. */
    public void flush() {
        em.flush();
    }

    /**
     * A page of installations ordered by instance id, after {@code after} (a keyset cursor: stable while rows change).
     * Null filters match anything.
     */
    public List<Installation> find(InstallationMode mode, InstallationState state, String appId, Instant updatedSince,
                                   String after, int limit) {
        StringBuilder jpql = new StringBuilder("SELECT i FROM Installation i WHERE i.instanceId > :after");
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("after", after == null ? "" : after);
        if (mode != null) {
            jpql.append(" AND i.mode = :mode");
            parameters.put("mode", mode);
        }
        if (state != null) {
            jpql.append(" AND i.state = :state");
            parameters.put("state", state);
        }
        if (appId != null) {
            jpql.append(" AND i.appId = :appId");
            parameters.put("appId", appId);
        }
        if (updatedSince != null) {
            jpql.append(" AND i.updatedAt >= :updatedSince");
            parameters.put("updatedSince", updatedSince);
        }
        TypedQuery<Installation> query = em.createQuery(jpql.append(" ORDER BY i.instanceId").toString(), Installation.class);
        parameters.forEach(query::setParameter);
        return query.setMaxResults(limit).getResultList();
    }

    /** Installations holding a refresh token, ordered by instance id, after {@code after}: a re-encryption batch. */
    public List<Installation> withRefreshTokenAfter(String after, int limit) {
        return em.createQuery("SELECT i FROM Installation i WHERE i.refreshToken IS NOT NULL AND i.instanceId > :after "
                        + "ORDER BY i.instanceId", Installation.class)
                .setParameter("after", after == null ? "" : after).setMaxResults(limit).getResultList();
    }

    public long countWithRefreshToken() {
        return em.createQuery("SELECT COUNT(i) FROM Installation i WHERE i.refreshToken IS NOT NULL", Long.class)
                .getSingleResult();
    }

    /** The app's installations that are not uninstalled: while there are any, the app cannot be removed. */
    public long countInstalledOf(String appId) {
        return em.createQuery("SELECT COUNT(i) FROM Installation i WHERE i.appId = :app AND i.state <> :gone", Long.class)
                .setParameter("app", appId).setParameter("gone", InstallationState.UNINSTALLED).getSingleResult();
    }

    /**
     * The app's installed refresh-token installations after {@code after}, by instance id: a batch of the migration off
     * custom authentication.
     */
    public List<Installation> withRefreshTokenOf(String appId, String after, int limit) {
        return em.createQuery("SELECT i FROM Installation i WHERE i.appId = :app AND i.mode = :mode "
                        + "AND i.state <> :gone AND i.refreshToken IS NOT NULL AND i.instanceId > :after "
                        + "ORDER BY i.instanceId", Installation.class)
                .setParameter("app", appId).setParameter("mode", InstallationMode.REFRESH_TOKEN)
                .setParameter("gone", InstallationState.UNINSTALLED).setParameter("after", after == null ? "" : after)
                .setMaxResults(limit).getResultList();
    }

    public long countWithRefreshTokenOf(String appId) {
        return em.createQuery("SELECT COUNT(i) FROM Installation i WHERE i.appId = :app AND i.mode = :mode "
                        + "AND i.state <> :gone AND i.refreshToken IS NOT NULL", Long.class)
                .setParameter("app", appId).setParameter("mode", InstallationMode.REFRESH_TOKEN)
                .setParameter("gone", InstallationState.UNINSTALLED).getSingleResult();
    }

    public long countKeptRefreshTokensBefore(Instant cutoff) {
        return em.createQuery("SELECT COUNT(i) FROM Installation i WHERE i.refreshTokenKeptUntil < :cutoff", Long.class)
                .setParameter("cutoff", cutoff).getSingleResult();
    }

    /** Installations whose migration kept their refresh token until before {@code cutoff}, locked: the purge's. */
    public List<Installation> lockKeptRefreshTokensBefore(Instant cutoff, int limit) {
        List<String> ids = em.createQuery("SELECT i.instanceId FROM Installation i WHERE i.refreshTokenKeptUntil < :cutoff "
                        + "ORDER BY i.instanceId", String.class)
                .setParameter("cutoff", cutoff).setMaxResults(limit).getResultList();
        return lockAll(ids).stream().filter(i -> i.getRefreshTokenKeptUntil() != null
                && i.getRefreshTokenKeptUntil().isBefore(cutoff)).toList();
    }

    public Map<String, Long> countByMode() {
        return counts("SELECT i.mode, COUNT(i) FROM Installation i GROUP BY i.mode");
    }

    public Map<String, Long> countByState() {
        return counts("SELECT i.state, COUNT(i) FROM Installation i GROUP BY i.state");
    }

    /** The fallen-back or rejected installation that has waited longest since its last change. */
    public Optional<Installation> oldestUnresolvedFailure() {
        return em.createQuery("SELECT i FROM Installation i WHERE i.mode = :fallback AND i.state <> :gone "
                        + "ORDER BY i.updatedAt", Installation.class)
                .setParameter("fallback", InstallationMode.CLIENT_CREDENTIALS_FALLBACK)
                .setParameter("gone", InstallationState.UNINSTALLED)
                .setMaxResults(1)
                .getResultStream()
                .findFirst();
    }

    private Map<String, Long> counts(String jpql) {
        Map<String, Long> counts = new TreeMap<>();
        for (Object[] row : em.createQuery(jpql, Object[].class).getResultList()) {
            counts.put(row[0].toString(), ((Number) row[1]).longValue());
        }
        return counts;
    }

    // Retention (issue 25): uninstalled installations past their horizon, and the tombstones they leave.

    public long countUninstalledBefore(Instant cutoff) {
        return em.createQuery("SELECT COUNT(i) FROM Installation i WHERE i.state = :uninstalled "
                        + "AND i.uninstalledAt < :cutoff", Long.class)
                .setParameter("uninstalled", InstallationState.UNINSTALLED).setParameter("cutoff", cutoff)
                .getSingleResult();
    }

    /**
     * Up to {@code limit} of them, locked; a site reinstalled meanwhile is not among them. Chosen first, then locked
     * by id and checked again: H2 refuses the {@code FOR UPDATE} EclipseLink writes before a {@code LIMIT}.
     */
    public List<Installation> lockUninstalledBefore(Instant cutoff, int limit) {
        List<String> ids = em.createQuery("SELECT i.instanceId FROM Installation i WHERE i.state = :uninstalled "
                        + "AND i.uninstalledAt < :cutoff ORDER BY i.instanceId", String.class)
                .setParameter("uninstalled", InstallationState.UNINSTALLED).setParameter("cutoff", cutoff)
                .setMaxResults(limit).getResultList();
        return lockAll(ids).stream().filter(i -> i.getState() == InstallationState.UNINSTALLED
                && i.getUninstalledAt() != null && i.getUninstalledAt().isBefore(cutoff)).toList();
    }

    /** Removes an installation and leaves its tombstone: the instance id and the two times, nothing secret. */
    public void replaceByTombstone(Installation installation, Instant now) {
        em.createNativeQuery("DELETE FROM installation_tombstone WHERE instance_id = ?")
                .setParameter(1, installation.getInstanceId()).executeUpdate();
        em.createNativeQuery("INSERT INTO installation_tombstone (instance_id, uninstalled_at, removed_at) VALUES (?, ?, ?)")
                .setParameter(1, installation.getInstanceId()).setParameter(2, utc(installation.getUninstalledAt()))
                .setParameter(3, utc(now)).executeUpdate();
        em.remove(installation);
    }

    /** When the instance was uninstalled, if the purge removed its installation and its tombstone is still kept. */
    public Optional<Instant> tombstone(InstanceId instanceId) {
        List<?> rows = em.createNativeQuery("SELECT uninstalled_at, removed_at FROM installation_tombstone "
                + "WHERE instance_id = ?").setParameter(1, instanceId.value()).getResultList();
        return rows.stream().map(row -> (Object[]) row)
                .map(row -> instant(row[0] != null ? row[0] : row[1])).findFirst();
    }

    /** Which of these instances have a tombstone (one query for an import batch). */
    public java.util.Set<String> tombstoned(java.util.Collection<String> instanceIds) {
        if (instanceIds.isEmpty()) {
            return java.util.Set.of();
        }
        var query = em.createNativeQuery("SELECT instance_id FROM installation_tombstone WHERE instance_id IN ("
                + String.join(",", java.util.Collections.nCopies(instanceIds.size(), "?")) + ")");
        int position = 1;
        for (String instanceId : instanceIds) {
            query.setParameter(position++, instanceId);
        }
        java.util.Set<String> found = new java.util.HashSet<>();
        for (Object row : query.getResultList()) {
            found.add((String) row);
        }
        return found;
    }

    public long countTombstonesBefore(Instant cutoff) {
        return ((Number) em.createNativeQuery("SELECT COUNT(*) FROM installation_tombstone WHERE removed_at < ?")
                .setParameter(1, utc(cutoff)).getSingleResult()).longValue();
    }

    public int deleteTombstonesBefore(Instant cutoff, int limit) {
        return em.createNativeQuery("DELETE FROM installation_tombstone WHERE instance_id IN (SELECT instance_id FROM "
                        + "installation_tombstone WHERE removed_at < ? ORDER BY instance_id LIMIT ?)")
                .setParameter(1, utc(cutoff)).setParameter(2, limit).executeUpdate();
    }
}
