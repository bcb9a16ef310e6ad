package io.wixoauth.persistence.app;

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
import java.util.List;
import java.util.Optional;

/** The {@code wix_app} rows; every method joins the caller's transaction. */
@ApplicationScoped
public class AppRepository {

    private static final SealedTokenConverter SEAL = new SealedTokenConverter();

    private static final String COLUMNS = "app_id, secret, webhook_public_keys, redirect_url, handshake, added_at, "
            + "added_by, secret_changed_at, secret_changed_by";

    @PersistenceContext(unitName = "oauth")
    EntityManager em;

    public List<StoredApp> all() {
        List<?> rows = em.createNativeQuery("SELECT " + COLUMNS + " FROM wix_app ORDER BY added_at, app_id")
                .getResultList();
        return rows.stream().map(row -> app((Object[]) row)).toList();
    }

    public Optional<StoredApp> find(String appId) {
        List<?> rows = em.createNativeQuery("SELECT " + COLUMNS + " FROM wix_app WHERE app_id = ?")
                .setParameter(1, appId).getResultList();
        return rows.stream().map(row -> app((Object[]) row)).findFirst();
    }

    /** Adds the app unless a row for its id exists; true if added. */
    public boolean add(String appId, Secret secret, String webhookPublicKeys, String redirectUrl, boolean handshake,
                       Instant now, String by) {
        return em.createNativeQuery("INSERT INTO wix_app (" + COLUMNS + ") SELECT CAST(? AS VARCHAR(36)), "
                        + "CAST(? AS VARCHAR(2048)), CAST(? AS VARCHAR(20000)), CAST(? AS VARCHAR(2048)), ?, ?, "
                        + "CAST(? AS VARCHAR(200)), ?, CAST(? AS VARCHAR(200)) "
                        + "WHERE NOT EXISTS (SELECT 1 FROM wix_app WHERE app_id = ?)")
                .setParameter(1, appId).setParameter(2, seal(appId, secret)).setParameter(3, webhookPublicKeys)
                .setParameter(4, redirectUrl).setParameter(5, handshake).setParameter(6, utc(now))
                .setParameter(7, by).setParameter(8, utc(now)).setParameter(9, by).setParameter(10, appId)
                .executeUpdate() == 1;
    }

    /**
     * Custom authentication on or off for the app, with the Redirect URL it uses when on ({@code redirectUrl} null
     * keeps the one stored); false if the app has no row.
     */
    public boolean changeHandshake(String appId, boolean handshake, String redirectUrl) {
        return em.createNativeQuery("UPDATE wix_app SET handshake = ?, redirect_url = COALESCE(?, redirect_url) "
                        + "WHERE app_id = ?")
                .setParameter(1, handshake).setParameter(2, redirectUrl).setParameter(3, appId).executeUpdate() == 1;
    }

    /** A row for the default app that holds only whether its handshake is on: its secret stays the setting's. */
    public boolean addDefault(String appId, boolean handshake, Instant now, String by) {
        return em.createNativeQuery("INSERT INTO wix_app (app_id, handshake, added_at, added_by) SELECT "
                        + "CAST(? AS VARCHAR(36)), ?, ?, CAST(? AS VARCHAR(200)) "
                        + "WHERE NOT EXISTS (SELECT 1 FROM wix_app WHERE app_id = ?)")
                .setParameter(1, appId).setParameter(2, handshake).setParameter(3, utc(now)).setParameter(4, by)
                .setParameter(5, appId).executeUpdate() == 1;
    }

    /** The app's new secret, in force from now on; false if the app has no row. */
    public boolean changeSecret(String appId, Secret secret, Instant now, String by) {
        return em.createNativeQuery("UPDATE wix_app SET secret = ?, secret_changed_at = ?, secret_changed_by = ? "
                        + "WHERE app_id = ?")
                .setParameter(1, seal(appId, secret)).setParameter(2, utc(now)).setParameter(3, by)
                .setParameter(4, appId).executeUpdate() == 1;
    }

    public boolean delete(String appId) {
        return em.createNativeQuery("DELETE FROM wix_app WHERE app_id = ?").setParameter(1, appId).executeUpdate() == 1;
    }

    /**
     * Key rotation: every app's secret sealed again under the active key. Returns how many could not be opened (kept
     * as they are, for an operator to look at).
     */
    public int resealSecrets() {
        String active = "v1:" + TokenEncryption.activeKeyId() + ":";
        int unreadable = 0;
        List<?> rows = em.createNativeQuery("SELECT app_id, secret FROM wix_app").getResultList();
        for (Object row : rows) {
            String appId = (String) ((Object[]) row)[0];
            String sealed = (String) ((Object[]) row)[1];
            if (sealed == null || sealed.startsWith(active)) {
                continue;
            }
            Optional<Secret> secret = open(appId, sealed);
            if (secret.isEmpty()) {
                unreadable++;
                continue;
            }
            em.createNativeQuery("UPDATE wix_app SET secret = ? WHERE app_id = ?")
                    .setParameter(1, seal(appId, secret.get())).setParameter(2, appId).executeUpdate();
        }
        return unreadable;
    }

    private static StoredApp app(Object[] row) {
        String appId = (String) row[0];
        Optional<Secret> secret = row[1] == null ? Optional.empty() : open(appId, (String) row[1]);
        return new StoredApp(appId, secret, Optional.ofNullable((String) row[2]),
                Optional.ofNullable((String) row[3]), Boolean.TRUE.equals(row[4]) || Integer.valueOf(1).equals(row[4]),
                instant(row[5]), (String) row[6], instant(row[7]), (String) row[8]);
    }

    /** Sealed for its app (an app id is a UUID, like an instance id): a copy on another row opens to nothing. */
    private static String seal(String appId, Secret secret) {
        return SEAL.convertToDatabaseColumn(SealedToken.readable(InstanceId.of(appId), secret, null));
    }

    private static Optional<Secret> open(String appId, String sealed) {
        return SEAL.convertToEntityAttribute(sealed).tokenFor(InstanceId.of(appId));
    }
}
