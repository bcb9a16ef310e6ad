package io.wixoauth.persistence.installation;

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

/** Joins the caller's transaction; the services decide where transactions begin and end. */
@ApplicationScoped
public class JpaInstallationRepository implements InstallationRepository {

    @PersistenceContext(unitName = "oauth")
    EntityManager em;

    public JpaInstallationRepository() {
    }

    /** Outside a container, e.g. in tests with a resource-local entity manager. */
    JpaInstallationRepository(EntityManager em) {
        this.em = em;
    }

    @Override
    public Optional<Installation> findByInstanceId(InstanceId instanceId) {
        return byInstanceId(instanceId, LockModeType.NONE);
    }

    @Override
    public Optional<Installation> lockByInstanceId(InstanceId instanceId) {
        return byInstanceId(instanceId, LockModeType.PESSIMISTIC_WRITE);
    }

    @Override
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

    @Override
    public void add(Installation installation) {
        em.persist(installation);
    }

    @Override
    public void remove(Installation installation) {
        em.remove(installation);
    }

    @Override
    public void flush() {
        em.flush();
    }

    @Override
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

    @Override
    public List<Installation> withRefreshTokenAfter(String after, int limit) {
        return em.createQuery("SELECT i FROM Installation i WHERE i.refreshToken IS NOT NULL AND i.instanceId > :after "
                        + "ORDER BY i.instanceId", Installation.class)
                .setParameter("after", after == null ? "" : after).setMaxResults(limit).getResultList();
    }

    @Override
    public long countWithRefreshToken() {
        return em.createQuery("SELECT COUNT(i) FROM Installation i WHERE i.refreshToken IS NOT NULL", Long.class)
                .getSingleResult();
    }

    @Override
    public Map<String, Long> countByMode() {
        return counts("SELECT i.mode, COUNT(i) FROM Installation i GROUP BY i.mode");
    }

    @Override
    public Map<String, Long> countByState() {
        return counts("SELECT i.state, COUNT(i) FROM Installation i GROUP BY i.state");
    }

    @Override
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
}
