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

    /** Written at once, so a second running job of the kind fails here, on the unique running_kind (V6). */
    public void addNow(BackgroundJob job) {
        em.persist(job);
        em.flush();
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

    /** The job, locked as {@link #lock} does, if it is still running: what every batch starts with. */
    public Optional<BackgroundJob> lockIfRunning(String id) {
        return lock(id).filter(job -> job.getState() == BackgroundJob.State.RUNNING);
    }

    /** The running job of this kind, if any (there is at most one). */
    public Optional<BackgroundJob> runningOfKind(String kind) {
        return em.createQuery("SELECT j FROM BackgroundJob j WHERE j.runningKind = :kind", BackgroundJob.class)
                .setParameter("kind", kind)
                .setHint("jakarta.persistence.cache.retrieveMode", jakarta.persistence.CacheRetrieveMode.BYPASS)
                .getResultStream().findFirst();
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
