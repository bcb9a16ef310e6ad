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
        return Optional.ofNullable(em.find(BackgroundJob.class, id));
    }

    /** Locked for the caller's transaction: a batch and a cancel never interleave. */
    public Optional<BackgroundJob> lock(String id) {
        return Optional.ofNullable(em.find(BackgroundJob.class, id, LockModeType.PESSIMISTIC_WRITE));
    }

    public List<String> runningIds() {
        return em.createQuery("SELECT j.id FROM BackgroundJob j WHERE j.state = :running ORDER BY j.createdAt", String.class)
                .setParameter("running", BackgroundJob.State.RUNNING).getResultList();
    }
}
