package io.wixoauth.persistence.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

@ApplicationScoped
public class AuditRepository {

    @PersistenceContext(unitName = "oauth")
    EntityManager em;

    /** Locks the head row for the rest of the caller's transaction: appends happen one at a time, in order. */
    public AuditHead lockHead() {
        return em.find(AuditHead.class, AuditHead.ID, LockModeType.PESSIMISTIC_WRITE);
    }

    public AuditHead head() {
        return em.find(AuditHead.class, AuditHead.ID);
    }

    public void append(AuditEntry entry) {
        em.persist(entry);
    }

    public List<AuditEntry> find(AuditQuery query) {
        StringBuilder jpql = new StringBuilder("SELECT a FROM AuditEntry a WHERE a.seq > :after");
        List<Object[]> parameters = new ArrayList<>();
        parameters.add(new Object[]{"after", query.afterSeq()});
        condition(jpql, parameters, "a.instanceId = :instanceId", "instanceId", query.instanceId());
        condition(jpql, parameters, "a.actor = :actor", "actor", query.actor());
        condition(jpql, parameters, "a.action = :action", "action", query.action());
        condition(jpql, parameters, "a.occurredAt >= :since", "since", query.since());
        condition(jpql, parameters, "a.occurredAt < :until", "until", query.until());
        TypedQuery<AuditEntry> typed = em.createQuery(jpql.append(" ORDER BY a.seq").toString(), AuditEntry.class);
        parameters.forEach(p -> typed.setParameter((String) p[0], p[1]));
        return typed.setMaxResults(query.limit()).getResultList();
    }

    /** A batch of the chain in order, for verification. */
    public List<AuditEntry> chainAfter(long afterSeq, int batch) {
        return em.createNamedQuery(AuditEntry.IN_ORDER, AuditEntry.class)
                .setParameter("after", afterSeq).setMaxResults(batch).getResultList();
    }

    public long countSince(String action, Instant since) {
        return em.createQuery("SELECT COUNT(a) FROM AuditEntry a WHERE a.action = :action AND a.occurredAt >= :since",
                        Long.class)
                .setParameter("action", action).setParameter("since", since)
                .getSingleResult();
    }

    /** The newest entries about one installation, newest first. */
    public List<AuditEntry> latestFor(String instanceId, int limit) {
        return em.createQuery("SELECT a FROM AuditEntry a WHERE a.instanceId = :instanceId ORDER BY a.seq DESC",
                        AuditEntry.class)
                .setParameter("instanceId", instanceId).setMaxResults(limit).getResultList();
    }

    private static void condition(StringBuilder jpql, List<Object[]> parameters, String clause, String name, Object value) {
        if (value != null) {
            jpql.append(" AND ").append(clause);
            parameters.add(new Object[]{name, value});
        }
    }
}
