package io.wixoauth.persistence.relay;

import static io.wixoauth.persistence.schema.InstantConverter.instant;
import static io.wixoauth.persistence.schema.InstantConverter.utc;
import io.wixoauth.api.Secret;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.persistence.crypto.SealedToken;
import io.wixoauth.persistence.crypto.SealedTokenConverter;
import io.wixoauth.persistence.crypto.TokenEncryption;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Subscriptions, the outbox and its deliveries; every method joins the caller's transaction. */
@ApplicationScoped
public class RelayRepository {

    private static final SealedTokenConverter SEAL = new SealedTokenConverter();

    /** What {@code relay_subscription.event_types} holds of a list (written {@code ,a,b,}: two characters more). */
    public static final int EVENT_TYPES_MAX_LENGTH = 1998;

    private static final String SUBSCRIPTION_COLUMNS = "id, url, event_types, state, state_reason, created_at, "
            + "created_by, secret, previous_secret, previous_secret_until, app_ids";

    /** A subscription takes an event of its types if it takes every app, the event's app, or the event is of none. */
    private static final String TAKES_THE_APP = "(s.app_ids = ',*,' OR e.app_id IS NULL "
            + "OR s.app_ids LIKE CONCAT('%,', CONCAT(e.app_id, ',%')))";

    private static final String DELIVERY_COLUMNS = "d.id, d.subscription_id, e.id, e.type, e.instance_id, d.state, "
            + "d.attempts, d.created_at, d.next_attempt_at, d.last_attempt_at, d.last_status, d.last_error, d.delivered_at";

    @PersistenceContext(unitName = "oauth")
    EntityManager em;

    // ---- subscriptions

    public void addSubscription(String id, String url, List<String> eventTypes, List<String> appIds, Secret secret,
                                Instant now, String by) {
        em.createNativeQuery("INSERT INTO relay_subscription (id, url, event_types, secret, state, created_at, "
                        + "created_by, app_ids) VALUES (?, ?, ?, ?, 'ACTIVE', ?, ?, ?)")
                .setParameter(1, id).setParameter(2, url).setParameter(3, "," + String.join(",", eventTypes) + ",")
                .setParameter(4, seal(id, secret)).setParameter(5, utc(now)).setParameter(6, by)
                .setParameter(7, "," + String.join(",", appIds) + ",")
                .executeUpdate();
    }

    public Optional<Subscription> findSubscription(String id) {
        List<?> rows = em.createNativeQuery("SELECT " + SUBSCRIPTION_COLUMNS + " FROM relay_subscription WHERE id = ?")
                .setParameter(1, id).getResultList();
        return rows.stream().map(row -> subscription((Object[]) row)).findFirst();
    }

    public List<Subscription> subscriptions() {
        List<?> rows = em.createNativeQuery("SELECT " + SUBSCRIPTION_COLUMNS + " FROM relay_subscription "
                + "ORDER BY created_at, id").getResultList();
        return rows.stream().map(row -> subscription((Object[]) row)).toList();
    }

    /** Moves a subscription to {@code state} unless it is there already; true if it changed. */
    public boolean changeState(String id, Subscription.State state, String reason) {
        return em.createNativeQuery("UPDATE relay_subscription SET state = ?, state_reason = ? WHERE id = ? AND state <> ?")
                .setParameter(1, state.name()).setParameter(2, reason).setParameter(3, id).setParameter(4, state.name())
                .executeUpdate() == 1;
    }

    /** The new secret signs from now on; the current one goes on signing beside it until {@code overlapUntil}. */
    public void rotateSecret(String id, Secret secret, Instant overlapUntil) {
        em.createNativeQuery("UPDATE relay_subscription SET previous_secret = secret, previous_secret_until = ?, "
                        + "secret = ? WHERE id = ?")
                .setParameter(1, utc(overlapUntil)).setParameter(2, seal(id, secret)).setParameter(3, id)
                .executeUpdate();
    }

    /**
     * Key rotation: every subscription's secret (and the previous one while it still signs) sealed again under the
     * active key; a previous secret past its overlap is dropped instead. Returns how many could not be opened (kept as
     * they are, for an operator to look at).
     */
    public int resealSecrets(Instant now) {
        String active = "v1:" + TokenEncryption.activeKeyId() + ":";
        int unreadable = 0;
        List<?> rows = em.createNativeQuery("SELECT id, secret, previous_secret, previous_secret_until "
                + "FROM relay_subscription").getResultList();
        for (Object row : rows) {
            Object[] columns = (Object[]) row;
            String id = (String) columns[0];
            String secret = (String) columns[1];
            String previous = (String) columns[2];
            Instant previousUntil = instant(columns[3]);
            Optional<String> current = resealed(id, secret, active);
            boolean previousLive = previous != null && previousUntil != null && now.isBefore(previousUntil);
            Optional<String> former = previousLive ? resealed(id, previous, active) : Optional.ofNullable(previous);
            unreadable += (current.isEmpty() ? 1 : 0) + (previousLive && former.isEmpty() ? 1 : 0);
            String newSecret = current.orElse(secret);
            String newPrevious = !previousLive ? null : former.orElse(previous);
            if (!newSecret.equals(secret) || !java.util.Objects.equals(newPrevious, previous)) {
                if (newPrevious == null) {
                    em.createNativeQuery("UPDATE relay_subscription SET secret = ?, previous_secret = NULL, "
                            + "previous_secret_until = NULL WHERE id = ?")
                            .setParameter(1, newSecret).setParameter(2, id).executeUpdate();
                } else {
                    em.createNativeQuery("UPDATE relay_subscription SET secret = ?, previous_secret = ? WHERE id = ?")
                            .setParameter(1, newSecret).setParameter(2, newPrevious).setParameter(3, id).executeUpdate();
                }
            }
        }
        return unreadable;
    }

    /** The value as it is if it is under {@code activePrefix}, else opened and sealed again; empty if it cannot be opened. */
    private static Optional<String> resealed(String subscriptionId, String sealed, String activePrefix) {
        if (sealed.startsWith(activePrefix)) {
            return Optional.of(sealed);
        }
        return open(subscriptionId, sealed).map(secret -> seal(subscriptionId, secret));
    }

    /** The subscription and its deliveries; the events stay for the other subscriptions. */
    public boolean deleteSubscription(String id) {
        em.createNativeQuery("DELETE FROM relay_delivery WHERE subscription_id = ?").setParameter(1, id).executeUpdate();
        return em.createNativeQuery("DELETE FROM relay_subscription WHERE id = ?").setParameter(1, id).executeUpdate() == 1;
    }

    // ---- the outbox

    /**
     * Writes the event, unless one with its id exists (a webhook Wix sent twice), and a pending delivery for every
     * subscription not disabled whose types include it. Returns the number of deliveries, -1 for a duplicate.
     */
    public int recordEvent(String eventId, String type, String instanceId, String appId, String body, Instant now) {
        int written = em.createNativeQuery("INSERT INTO relay_event (id, type, instance_id, app_id, body, created_at) "
                        + "SELECT CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(100)), CAST(? AS VARCHAR(36)), "
                        + "CAST(? AS VARCHAR(36)), CAST(? AS VARCHAR(200000)), ? "
                        + "WHERE NOT EXISTS (SELECT 1 FROM relay_event WHERE id = ?)")
                .setParameter(1, eventId).setParameter(2, type).setParameter(3, instanceId).setParameter(4, appId)
                .setParameter(5, body).setParameter(6, utc(now)).setParameter(7, eventId).executeUpdate();
        if (written == 0) {
            return -1;
        }
        return em.createNativeQuery("INSERT INTO relay_delivery (subscription_id, event_seq, ordering_key, state, "
                        + "attempts, next_attempt_at, created_at) SELECT s.id, e.seq, ?, 'PENDING', 0, ?, ? "
                        + "FROM relay_subscription s, relay_event e WHERE e.id = ? AND s.state <> 'DISABLED' "
                        + "AND (s.event_types = ',*,' OR s.event_types LIKE ?) AND " + TAKES_THE_APP)
                .setParameter(1, orderingKey(instanceId)).setParameter(2, utc(now)).setParameter(3, utc(now))
                .setParameter(4, eventId).setParameter(5, "%," + likeLiteral(type) + ",%")
                .executeUpdate();
    }

    /** New pending deliveries to one subscription of every event since {@code since} it subscribes to. */
    public int replay(String subscriptionId, Instant since, Instant now) {
        return em.createNativeQuery("INSERT INTO relay_delivery (subscription_id, event_seq, ordering_key, state, "
                        + "attempts, next_attempt_at, created_at) SELECT s.id, e.seq, COALESCE(e.instance_id, '-'), "
                        + "'PENDING', 0, ?, ? FROM relay_subscription s, relay_event e WHERE s.id = ? "
                        + "AND e.created_at >= ? AND (s.event_types = ',*,' OR s.event_types LIKE "
                        + "CONCAT('%,', CONCAT(e.type, ',%'))) AND " + TAKES_THE_APP + " ORDER BY e.seq")
                .setParameter(1, utc(now)).setParameter(2, utc(now)).setParameter(3, subscriptionId)
                .setParameter(4, utc(since)).executeUpdate();
    }

    // ---- deliveries: claimed by one node at a time, settled only by the node that holds the claim

    /**
     * Claims up to {@code limit} deliveries that are due, of active subscriptions, each the oldest pending one of its
     * instance for its subscription (so an instance's events arrive in order), in one UPDATE: of two nodes claiming at
     * once, the second waits for the first's row locks and then skips the rows it claimed (the claim conditions are
     * checked again on the updated rows). {@code holder} names this claim alone; the claimed rows are read back by it.
     */
    public List<ClaimedDelivery> claimDue(String holder, Instant now, Instant claimUntil, int limit) {
        em.createNativeQuery("UPDATE relay_delivery SET claim_holder = ?, claim_until = ? WHERE id IN ("
                        + "SELECT d.id FROM relay_delivery d JOIN relay_subscription s ON s.id = d.subscription_id "
                        + "WHERE d.state = 'PENDING' AND d.next_attempt_at <= ? AND s.state = 'ACTIVE' "
                        + "AND (d.claim_until IS NULL OR d.claim_until < ?) "
                        + "AND NOT EXISTS (SELECT 1 FROM relay_delivery p WHERE p.subscription_id = d.subscription_id "
                        + "AND p.ordering_key = d.ordering_key AND p.state = 'PENDING' AND p.id < d.id) "
                        + "ORDER BY d.next_attempt_at, d.id LIMIT ?) "
                        + "AND state = 'PENDING' AND (claim_until IS NULL OR claim_until < ?)")
                .setParameter(1, holder).setParameter(2, utc(claimUntil)).setParameter(3, utc(now))
                .setParameter(4, utc(now)).setParameter(5, limit).setParameter(6, utc(now))
                .executeUpdate();
        List<?> rows = em.createNativeQuery("SELECT d.id, d.subscription_id, e.id, e.body, d.attempts, d.created_at "
                        + "FROM relay_delivery d JOIN relay_event e ON e.seq = d.event_seq WHERE d.claim_holder = ? "
                        + "ORDER BY d.id")
                .setParameter(1, holder).getResultList();
        return rows.stream().map(row -> (Object[]) row).map(row -> new ClaimedDelivery(((Number) row[0]).longValue(),
                (String) row[1], (String) row[2], (String) row[3], ((Number) row[4]).intValue(), instant(row[5])))
                .toList();
    }

    /** Settles a claimed delivery; false if the claim was lost (it ran out and another node took it). */
    public boolean settle(long deliveryId, String holder, Delivery.State state, Instant nextAttemptAt, Instant now,
                          Integer status, String error) {
        // Nulls are bound untyped (as text): the casts keep PostgreSQL from refusing them for typed columns.
        return em.createNativeQuery("UPDATE relay_delivery SET state = ?, attempts = attempts + 1, next_attempt_at = ?, "
                        + "last_attempt_at = ?, last_status = CAST(? AS INTEGER), last_error = CAST(? AS VARCHAR(400)), "
                        + "claim_holder = NULL, claim_until = NULL, "
                        + "delivered_at = CASE WHEN CAST(? AS VARCHAR(20)) = 'DELIVERED' THEN CAST(? AS TIMESTAMP WITH TIME ZONE) END "
                        + "WHERE id = ? AND claim_holder = ?")
                .setParameter(1, state.name()).setParameter(2, utc(nextAttemptAt)).setParameter(3, utc(now))
                .setParameter(4, status).setParameter(5, truncate(error)).setParameter(6, state.name())
                .setParameter(7, utc(now)).setParameter(8, deliveryId).setParameter(9, holder)
                .executeUpdate() == 1;
    }

    /** Lets go of a claim without an attempt (the subscription was paused or deleted meanwhile). */
    public void release(long deliveryId, String holder) {
        em.createNativeQuery("UPDATE relay_delivery SET claim_holder = NULL, claim_until = NULL "
                + "WHERE id = ? AND claim_holder = ?").setParameter(1, deliveryId).setParameter(2, holder).executeUpdate();
    }

    /** A failed or pending delivery is due again now; true if there was one. */
    public boolean retryNow(String subscriptionId, long deliveryId, Instant now) {
        return em.createNativeQuery("UPDATE relay_delivery SET state = 'PENDING', next_attempt_at = ? "
                        + "WHERE id = ? AND subscription_id = ? AND state <> 'DELIVERED'")
                .setParameter(1, utc(now)).setParameter(2, deliveryId).setParameter(3, subscriptionId)
                .executeUpdate() == 1;
    }

    // ---- what operations see

    public List<Delivery> deliveries(String subscriptionId, Delivery.State state, int limit) {
        List<?> rows = em.createNativeQuery("SELECT " + DELIVERY_COLUMNS + " FROM relay_delivery d "
                        + "JOIN relay_event e ON e.seq = d.event_seq WHERE d.subscription_id = ? "
                        + "AND (CAST(? AS VARCHAR(20)) IS NULL OR d.state = ?) ORDER BY d.id DESC")
                .setParameter(1, subscriptionId).setParameter(2, state == null ? null : state.name())
                .setParameter(3, state == null ? null : state.name()).setMaxResults(limit).getResultList();
        return rows.stream().map(row -> delivery((Object[]) row)).toList();
    }

    public Optional<Delivery> findDelivery(String subscriptionId, long deliveryId) {
        List<?> rows = em.createNativeQuery("SELECT " + DELIVERY_COLUMNS + " FROM relay_delivery d "
                        + "JOIN relay_event e ON e.seq = d.event_seq WHERE d.subscription_id = ? AND d.id = ?")
                .setParameter(1, subscriptionId).setParameter(2, deliveryId).getResultList();
        return rows.stream().map(row -> delivery((Object[]) row)).findFirst();
    }

    /**
     * The backlog across all subscriptions: pending and failed deliveries only, so the count reads the state index and
     * grows with what is undelivered, not with the history of delivered ones.
     */
    public Map<Delivery.State, Long> backlog() {
        Map<Delivery.State, Long> counts = new EnumMap<>(Delivery.State.class);
        counts.put(Delivery.State.PENDING, 0L);
        counts.put(Delivery.State.FAILED, 0L);
        List<?> rows = em.createNativeQuery("SELECT state, COUNT(*) FROM relay_delivery "
                + "WHERE state IN ('PENDING', 'FAILED') GROUP BY state").getResultList();
        rows.forEach(row -> counts.put(Delivery.State.valueOf((String) ((Object[]) row)[0]),
                ((Number) ((Object[]) row)[1]).longValue()));
        return counts;
    }

    /** Deliveries by state, for one subscription or (null) all. */
    public Map<Delivery.State, Long> counts(String subscriptionId) {
        Map<Delivery.State, Long> counts = new EnumMap<>(Delivery.State.class);
        Arrays.stream(Delivery.State.values()).forEach(state -> counts.put(state, 0L));
        List<?> rows = em.createNativeQuery("SELECT state, COUNT(*) FROM relay_delivery "
                        + "WHERE (CAST(? AS VARCHAR(36)) IS NULL OR subscription_id = ?) GROUP BY state")
                .setParameter(1, subscriptionId).setParameter(2, subscriptionId).getResultList();
        rows.forEach(row -> counts.put(Delivery.State.valueOf((String) ((Object[]) row)[0]),
                ((Number) ((Object[]) row)[1]).longValue()));
        return counts;
    }

    /** When the oldest event still waiting for a subscription (or, null, any) was written. */
    public Optional<Instant> oldestPending(String subscriptionId) {
        Object oldest = em.createNativeQuery("SELECT MIN(created_at) FROM relay_delivery WHERE state = 'PENDING' "
                        + "AND (CAST(? AS VARCHAR(36)) IS NULL OR subscription_id = ?)")
                .setParameter(1, subscriptionId).setParameter(2, subscriptionId).getSingleResult();
        return Optional.ofNullable(instant(oldest));
    }

    // ---- rows

    private Subscription subscription(Object[] row) {
        String id = (String) row[0];
        String types = (String) row[2];
        String apps = (String) row[10];
        return new Subscription(id, (String) row[1], List.of(types.substring(1, types.length() - 1).split(",")),
                Subscription.State.valueOf((String) row[3]), (String) row[4], instant(row[5]), (String) row[6],
                open(id, (String) row[7]).orElse(null), Optional.ofNullable((String) row[8]).flatMap(s -> open(id, s)),
                instant(row[9]), List.of(apps.substring(1, apps.length() - 1).split(",")));
    }

    private static Delivery delivery(Object[] row) {
        return new Delivery(((Number) row[0]).longValue(), (String) row[1], (String) row[2], (String) row[3],
                (String) row[4], Delivery.State.valueOf((String) row[5]), ((Number) row[6]).intValue(),
                instant(row[7]), instant(row[8]), instant(row[9]),
                row[10] == null ? null : ((Number) row[10]).intValue(), (String) row[11], instant(row[12]));
    }

    /** Secrets are sealed for their subscription (its id is a UUID): a copy on another row opens to nothing. */
    private static String seal(String subscriptionId, Secret secret) {
        return SEAL.convertToDatabaseColumn(SealedToken.readable(InstanceId.of(subscriptionId), secret, null));
    }

    private static Optional<Secret> open(String subscriptionId, String sealed) {
        return SEAL.convertToEntityAttribute(sealed).tokenFor(InstanceId.of(subscriptionId));
    }

    /** Events without an instance share one line of their own. */
    private static String orderingKey(String instanceId) {
        return instanceId == null ? "-" : instanceId;
    }

    private static String likeLiteral(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 400 ? text : text.substring(0, 400);
    }

    // Retention (issue 25): settled deliveries past their horizon, then events no delivery needs any more.

    /** DELIVERED ones whose last attempt was before {@code delivered}, FAILED ones before {@code failed}. */
    private static final String SETTLED_BEFORE = "((state = 'DELIVERED' AND last_attempt_at < ?) "
            + "OR (state = 'FAILED' AND last_attempt_at < ?))";

    public long countSettledBefore(Delivery.State state, Instant cutoff) {
        return ((Number) em.createNativeQuery("SELECT COUNT(*) FROM relay_delivery WHERE state = ? AND last_attempt_at < ?")
                .setParameter(1, state.name()).setParameter(2, utc(cutoff)).getSingleResult()).longValue();
    }

    public int deleteSettledBefore(Delivery.State state, Instant cutoff, int limit) {
        return em.createNativeQuery("DELETE FROM relay_delivery WHERE id IN (SELECT id FROM relay_delivery "
                        + "WHERE state = ? AND last_attempt_at < ? ORDER BY id LIMIT ?)")
                .setParameter(1, state.name()).setParameter(2, utc(cutoff)).setParameter(3, limit).executeUpdate();
    }

    /** The instances whose installations the purge removes: uninstalled before the bound parameter (read only). */
    private static final String UNINSTALLED_BEFORE = "SELECT instance_id FROM installation "
            + "WHERE state = 'UNINSTALLED' AND uninstalled_at < ?";

    /** Deliveries not yet settled for installations uninstalled before {@code uninstalledBefore}: purged with them. */
    public long countPendingOfUninstalledBefore(Instant uninstalledBefore) {
        return ((Number) em.createNativeQuery("SELECT COUNT(*) FROM relay_delivery WHERE state = 'PENDING' "
                        + "AND ordering_key IN (" + UNINSTALLED_BEFORE + ")")
                .setParameter(1, utc(uninstalledBefore)).getSingleResult()).longValue();
    }

    public int deletePendingFor(java.util.Collection<String> instanceIds) {
        if (instanceIds.isEmpty()) {
            return 0;
        }
        var delete = em.createNativeQuery("DELETE FROM relay_delivery WHERE state = 'PENDING' AND ordering_key IN ("
                + String.join(",", java.util.Collections.nCopies(instanceIds.size(), "?")) + ")");
        int position = 1;
        for (String instanceId : instanceIds) {
            delete.setParameter(position++, instanceId);
        }
        return delete.executeUpdate();
    }

    /**
     * Events created before {@code cutoff} that no delivery will need once the purge has run: every delivery of theirs
     * is settled past its horizon, or pending for an installation being purged.
     */
    public long countEventsFreedBefore(Instant cutoff, Instant delivered, Instant failed, Instant uninstalledBefore) {
        return ((Number) em.createNativeQuery("SELECT COUNT(*) FROM relay_event e WHERE e.created_at < ? AND NOT EXISTS "
                        + "(SELECT 1 FROM relay_delivery d WHERE d.event_seq = e.seq AND NOT (" + SETTLED_BEFORE
                        + " OR (state = 'PENDING' AND ordering_key IN (" + UNINSTALLED_BEFORE + "))))")
                .setParameter(1, utc(cutoff)).setParameter(2, utc(delivered)).setParameter(3, utc(failed))
                .setParameter(4, utc(uninstalledBefore)).getSingleResult()).longValue();
    }

    /** Events created before {@code cutoff} with no delivery left. */
    public int deleteEventsWithoutDeliveriesBefore(Instant cutoff, int limit) {
        return em.createNativeQuery("DELETE FROM relay_event WHERE seq IN (SELECT e.seq FROM relay_event e "
                        + "WHERE e.created_at < ? AND NOT EXISTS (SELECT 1 FROM relay_delivery d WHERE d.event_seq = e.seq) "
                        + "ORDER BY e.seq LIMIT ?)")
                .setParameter(1, utc(cutoff)).setParameter(2, limit).executeUpdate();
    }
}
