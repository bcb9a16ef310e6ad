package io.wixoauth.persistence.console;

import static io.wixoauth.persistence.schema.InstantConverter.instant;
import static io.wixoauth.persistence.schema.InstantConverter.utc;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The {@code console_session} rows; every method joins the caller's transaction. */
@ApplicationScoped
public class ConsoleSessionRepository {

    private static final String COLUMNS = "id_hash, username, display_name, group_names, csrf_token, created_at, "
            + "last_seen_at, expires_at";

    @PersistenceContext(unitName = "oauth")
    EntityManager em;

    public void add(StoredSession session) {
        em.createNativeQuery("INSERT INTO console_session (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .setParameter(1, session.idHash()).setParameter(2, session.username())
                .setParameter(3, session.displayName()).setParameter(4, String.join(",", session.groups()))
                .setParameter(5, session.csrfToken()).setParameter(6, utc(session.createdAt()))
                .setParameter(7, utc(session.lastSeenAt())).setParameter(8, utc(session.expiresAt()))
                .executeUpdate();
    }

    public Optional<StoredSession> find(String idHash) {
        List<?> rows = em.createNativeQuery("SELECT " + COLUMNS + " FROM console_session WHERE id_hash = ?")
                .setParameter(1, idHash).getResultList();
        return rows.stream().map(row -> session((Object[]) row)).findFirst();
    }

    /** The session was used at {@code now}: its idle time starts again. */
    public void touch(String idHash, Instant now) {
        em.createNativeQuery("UPDATE console_session SET last_seen_at = ? WHERE id_hash = ?")
                .setParameter(1, utc(now)).setParameter(2, idHash).executeUpdate();
    }

    public boolean delete(String idHash) {
        return em.createNativeQuery("DELETE FROM console_session WHERE id_hash = ?").setParameter(1, idHash)
                .executeUpdate() == 1;
    }

    /** Sessions past their absolute lifetime ({@code expires_at}) or idle since before {@code idleSince}. */
    public long countEnded(Instant asOf, Instant idleSince) {
        return ((Number) em.createNativeQuery("SELECT COUNT(*) FROM console_session WHERE expires_at < ? OR "
                        + "last_seen_at < ?").setParameter(1, utc(asOf)).setParameter(2, utc(idleSince))
                .getSingleResult()).longValue();
    }

    /** Removes at most {@code limit} of the sessions {@link #countEnded} counts; returns how many. */
    public int deleteEnded(Instant asOf, Instant idleSince, int limit) {
        List<?> ids = em.createNativeQuery("SELECT id_hash FROM console_session WHERE expires_at < ? OR "
                        + "last_seen_at < ? ORDER BY id_hash").setParameter(1, utc(asOf)).setParameter(2, utc(idleSince))
                .setMaxResults(limit).getResultList();
        int removed = 0;
        for (Object id : ids) {
            removed += em.createNativeQuery("DELETE FROM console_session WHERE id_hash = ?").setParameter(1, id)
                    .executeUpdate();
        }
        return removed;
    }

    private static StoredSession session(Object[] row) {
        String groups = (String) row[3];
        return new StoredSession((String) row[0], (String) row[1], (String) row[2],
                groups.isEmpty() ? List.of() : Arrays.asList(groups.split(",")), (String) row[4], instant(row[5]),
                instant(row[6]), instant(row[7]));
    }
}
