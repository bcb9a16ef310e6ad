package io.wixoauth.persistence.job;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;

import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class BackgroundJobRepository {

    @PersistenceContext(unitName = "oauth")
    EntityManager em;

    public void add(BackgroundJob job) {
        em.persist(job);
    }

    public Optional<BackgroundJob> find(String id) {
        return Optional.ofNullable(em.find(BackgroundJob.class, id, java.util.Map.of(
                "jakarta.persistence.cache.retrieveMode", jakarta.persistence.CacheRetrieveMode.BYPASS,
                "eclipselink.refresh", "true")));
    }

    /** Locked for the caller's transaction: a batch and a cancel never interleave. */
    public Optional<BackgroundJob> lock(String id) {
        return Optional.ofNullable(em.find(BackgroundJob.class, id, LockModeType.PESSIMISTIC_WRITE,
                java.util.Map.of("eclipselink.refresh", "true")));
    }

    /** Always read from the database: other nodes start, advance and cancel jobs. */
    public List<BackgroundJob> running() {
        return em.createQuery("SELECT j FROM BackgroundJob j WHERE j.state = :running ORDER BY j.createdAt", BackgroundJob.class)
                .setParameter("running", BackgroundJob.State.RUNNING)
                .setHint("jakarta.persistence.cache.retrieveMode", jakarta.persistence.CacheRetrieveMode.BYPASS)
                .setHint("eclipselink.refresh", "true")
                .getResultList();
    }
}
