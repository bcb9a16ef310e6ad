package io.wixoauth.persistence.job;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.time.Instant;
import java.util.List;

/** The staged lines of imports (V8). */
@ApplicationScoped
public class ImportLineRepository {

    @PersistenceContext(unitName = "oauth")
    EntityManager em;

    /** Writes a batch of lines now, in the caller's transaction. */
    public void stage(List<ImportLine> lines) {
        lines.forEach(em::persist);
        em.flush();
        em.clear(); // a long file must not pile up in the persistence context
    }

    /** The job's next lines in file order. */
    public List<ImportLine> next(String jobId, int limit) {
        return em.createQuery("SELECT l FROM ImportLine l WHERE l.jobId = :job ORDER BY l.lineNo", ImportLine.class)
                .setParameter("job", jobId).setMaxResults(limit).getResultList();
    }

    /** Deletes the job's lines up to and including {@code lastLineNo}: a batch that was applied. */
    public int removeThrough(String jobId, long lastLineNo) {
        return em.createQuery("DELETE FROM ImportLine l WHERE l.jobId = :job AND l.lineNo <= :last")
                .setParameter("job", jobId).setParameter("last", lastLineNo).executeUpdate();
    }

    /** Deletes every line of the job: an upload that failed half-way, a cancelled import. */
    public int discard(String jobId) {
        return em.createQuery("DELETE FROM ImportLine l WHERE l.jobId = :job").setParameter("job", jobId).executeUpdate();
    }

    /**
     * Lines no running job will apply: those of a job that ended (cancelled), and those staged before {@code before}
     * that have no job at all (an upload whose node died before the job was created; one in progress has none yet).
     */
    public int discardAbandoned(Instant before) {
        return em.createQuery("DELETE FROM ImportLine l WHERE NOT EXISTS ("
                        + "SELECT j FROM BackgroundJob j WHERE j.id = l.jobId AND j.state = :running) AND (l.stagedAt < :before"
                        + " OR EXISTS (SELECT k FROM BackgroundJob k WHERE k.id = l.jobId))")
                .setParameter("before", before).setParameter("running", BackgroundJob.State.RUNNING).executeUpdate();
    }
}
