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

    /** The newest jobs, at most {@code limit}, read from the database (other nodes advance them). */
    public List<BackgroundJob> newest(int limit) {
        return em.createQuery("SELECT j FROM BackgroundJob j ORDER BY j.createdAt DESC", BackgroundJob.class)
                .setHint("jakarta.persistence.cache.retrieveMode", jakarta.persistence.CacheRetrieveMode.BYPASS)
                .setHint("eclipselink.refresh", "true")
                .setMaxResults(limit).getResultList();
    }

    /** When the newest job of {@code kind} was started, of those still kept. */
    public Optional<java.time.Instant> lastStarted(String kind) {
        // Not MAX(j.createdAt): EclipseLink hands an aggregate's raw value (a Timestamp on PostgreSQL) to the converter.
        return em.createQuery("SELECT j.createdAt FROM BackgroundJob j WHERE j.kind = :kind ORDER BY j.createdAt DESC",
                java.time.Instant.class).setParameter("kind", kind).setMaxResults(1).getResultStream().findFirst();
    }

    /** Jobs that ended before {@code cutoff} (retention); a running job has no end yet. */
    public long countFinishedBefore(java.time.Instant cutoff) {
        return em.createQuery("SELECT COUNT(j) FROM BackgroundJob j WHERE j.finishedAt < :cutoff", Long.class)
                .setParameter("cutoff", cutoff).getSingleResult();
    }

    public int deleteFinishedBefore(java.time.Instant cutoff, int limit) {
        List<String> ids = em.createQuery("SELECT j.id FROM BackgroundJob j WHERE j.finishedAt < :cutoff ORDER BY j.id",
                String.class).setParameter("cutoff", cutoff).setMaxResults(limit).getResultList();
        return ids.isEmpty() ? 0 : em.createQuery("DELETE FROM BackgroundJob j WHERE j.id IN :ids")
                .setParameter("ids", ids).executeUpdate();
    }
}
