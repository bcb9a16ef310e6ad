package io.wixoauth.persistence.audit;

import static io.wixoauth.persistence.schema.InstantConverter.instant;
import static io.wixoauth.persistence.schema.InstantConverter.utc;
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

    /** The chain's last verification, replacing the one before. */
    public void recordVerification(Instant at, String by, boolean intact, long entriesChecked, String problem) {
        em.createNativeQuery("UPDATE audit_verification SET verified_at = ?, verified_by = ?, intact = ?, "
                        + "entries_checked = ?, problem = ? WHERE id = 1")
                .setParameter(1, utc(at)).setParameter(2, by)
                .setParameter(3, intact).setParameter(4, entriesChecked).setParameter(5, problem).executeUpdate();
    }

    /** The last verification: when, by whom, intact, entries checked, the problem found; empty before the first. */
    public java.util.Optional<Object[]> lastVerification() {
        List<?> rows = em.createNativeQuery("SELECT verified_at, verified_by, intact, entries_checked, problem FROM "
                + "audit_verification WHERE id = 1 AND verified_at IS NOT NULL").getResultList();
        return rows.stream().map(row -> (Object[]) row).findFirst();
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
        condition(jpql, parameters, "a.appId = :appId", "appId", query.appId());
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

    // Archiving (issue 25): the oldest entries leave the database for a file, from the first one held, in order.

    /** The first entries still held, oldest first, as long as they were written before {@code cutoff}. */
    public List<AuditEntry> oldestBefore(Instant cutoff, int limit) {
        List<AuditEntry> oldest = em.createQuery("SELECT a FROM AuditEntry a ORDER BY a.seq", AuditEntry.class)
                .setMaxResults(limit).getResultList();
        int end = 0;
        while (end < oldest.size() && oldest.get(end).getOccurredAt().isBefore(cutoff)) {
            end++;
        }
        return oldest.subList(0, end);
    }

    /** How many entries {@link #oldestBefore} would give, without a limit: those before the first one at or after it. */
    public long countOldestBefore(Instant cutoff) {
        Long firstKept = em.createQuery("SELECT MIN(a.seq) FROM AuditEntry a WHERE a.occurredAt >= :cutoff", Long.class)
                .setParameter("cutoff", cutoff).getSingleResult();
        return firstKept == null
                ? em.createQuery("SELECT COUNT(a) FROM AuditEntry a", Long.class).getSingleResult()
                : em.createQuery("SELECT COUNT(a) FROM AuditEntry a WHERE a.seq < :kept", Long.class)
                .setParameter("kept", firstKept).getSingleResult();
    }

    /** Removes the entries an archive now holds (from the first one held through {@code lastSeq}). */
    public int deleteThrough(long lastSeq) {
        return em.createQuery("DELETE FROM AuditEntry a WHERE a.seq <= :last").setParameter("last", lastSeq)
                .executeUpdate();
    }

    public Long firstHeldSeq() {
        return em.createQuery("SELECT MIN(a.seq) FROM AuditEntry a", Long.class).getSingleResult();
    }

    public void addArchive(AuditArchiveRecord archive) {
        em.createNativeQuery("INSERT INTO audit_archive (name, first_seq, last_seq, first_prev_hash, last_hash, entries, "
                        + "file_sha256, key_id, seal, archived_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .setParameter(1, archive.name()).setParameter(2, archive.firstSeq()).setParameter(3, archive.lastSeq())
                .setParameter(4, archive.firstPrevHash()).setParameter(5, archive.lastHash())
                .setParameter(6, archive.entries()).setParameter(7, archive.fileSha256()).setParameter(8, archive.keyId())
                .setParameter(9, archive.seal())
                .setParameter(10, utc(archive.archivedAt())).executeUpdate();
    }

    /** The archive that ends where the entries held begin ({@code lastSeq}), if one does. */
    public java.util.Optional<AuditArchiveRecord> archiveEndingAt(long lastSeq) {
        return archives("WHERE last_seq = ?", lastSeq).stream().findFirst();
    }

    private List<AuditArchiveRecord> archives(String where, Long parameter) {
        var query = em.createNativeQuery("SELECT name, first_seq, last_seq, first_prev_hash, last_hash, entries, "
                + "file_sha256, key_id, seal, archived_at FROM audit_archive " + where);
        if (parameter != null) {
            query.setParameter(1, parameter);
        }
        List<?> rows = query.getResultList();
        return rows.stream().map(row -> (Object[]) row).map(row -> new AuditArchiveRecord((String) row[0],
                ((Number) row[1]).longValue(), ((Number) row[2]).longValue(), (String) row[3], (String) row[4],
                ((Number) row[5]).longValue(), (String) row[6], (String) row[7], (String) row[8], instant(row[9])))
                .toList();
    }
}
