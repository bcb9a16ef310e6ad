package io.wixoauth.persistence.installation;

import io.wixoauth.api.Secret;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.persistence.crypto.SealedToken;
import io.wixoauth.persistence.crypto.SealedTokenConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * One installation of the app on one Wix site. The instance id is the natural key: Wix keeps it across uninstall and
 * reinstall (protocol section 6). The refresh token is stored encrypted and bound to this instance id.
 */
@Entity
@Table(name = "installation")
@NamedQuery(name = Installation.FIND_BY_INSTANCE_ID, query = "SELECT i FROM Installation i WHERE i.instanceId = :instanceId")
public class Installation {

    public static final String FIND_BY_INSTANCE_ID = "Installation.findByInstanceId";

    @Id
    @Column(name = "instance_id", length = 36, nullable = false, updatable = false)
    private String instanceId;

    @Column(name = "app_id", length = 36, nullable = false)
    private String appId;

    @Enumerated(EnumType.STRING)
    @Column(name = "mode", length = 40, nullable = false)
    private InstallationMode mode;

    @Enumerated(EnumType.STRING)
    @Column(name = "state", length = 40, nullable = false)
    private InstallationState state;

    @Convert(converter = SealedTokenConverter.class)
    @Column(name = "refresh_token", length = 2048)
    private SealedToken refreshToken;

    @Column(name = "failure_reason", length = 400)
    private String failureReason;

    @Column(name = "origin_instance_id", length = 36)
    private String originInstanceId;

    /** When the latest install (callback or AppInstalled) happened; older removals must not undo it. */
    @Column(name = "installed_at")
    private Instant installedAt;

    @Column(name = "uninstalled_at")
    private Instant uninstalledAt;

    @Column(name = "paid_plan", length = 400)
    private String paidPlan;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    /** Until when a browser's claim of this installation is kept without Wix confirming it; null once confirmed. */
    @Column(name = "unconfirmed_until")
    private Instant unconfirmedUntil;

    /** Switched to client credentials by the migration: the refresh token is kept until then, for a switch back. */
    @Column(name = "refresh_token_kept_until")
    private Instant refreshTokenKeptUntil;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    protected Installation() {
    }

    public Installation(InstanceId instanceId, String appId, InstallationMode mode, Instant now) {
        this.instanceId = instanceId.value();
        this.appId = appId;
        this.mode = mode;
        this.state = InstallationState.INSTALLED;
        this.installedAt = now;
        this.createdAt = now;
        this.updatedAt = now;
    }

    /** What an imported refresh token did to an installation (an install base moved in from the app's own database). */
    public enum ImportOutcome { CREATED, STORED, REPLACED, KEPT, UNCHANGED, UNINSTALLED, REFUSED }

    /**
     * An installation only the app's own database knew of: advanced OAuth, with the refresh token the app kept, installed
     * when the app says (or now).
     */
    public static Installation imported(InstanceId instanceId, String appId, Secret refreshToken, Instant installedAt,
                                        String originInstanceId, String paidPlan, Instant now) {
        Installation created = new Installation(instanceId, appId, InstallationMode.REFRESH_TOKEN, now);
        created.refreshToken = SealedToken.readable(instanceId, refreshToken, null);
        created.installedAt = installedAt != null ? installedAt : now;
        created.originInstanceId = originInstanceId;
        created.paidPlan = paidPlan;
        return created;
    }

    /**
     * An installation whose imported refresh token Wix refused: recorded so that its site is served by client
     * credentials and an operator sees it needs a reinstall (only a reinstall brings advanced OAuth back).
     */
    public static Installation importRefused(InstanceId instanceId, String appId, Instant installedAt,
                                             String originInstanceId, String paidPlan, String reason, Instant now) {
        Installation created = new Installation(instanceId, appId, InstallationMode.CLIENT_CREDENTIALS_FALLBACK, now);
        created.installedAt = installedAt != null ? installedAt : now;
        created.originInstanceId = originInstanceId;
        created.paidPlan = paidPlan;
        created.requestReinstall(reason, now);
        return created;
    }

    /**
     * Wix refused the refresh token an import brought for this installation. One that holds a token of its own keeps
     * it ({@code KEPT}: its site is fine, nobody need reinstall), an uninstalled one stays so; one without asks for a
     * reinstall, served by client credentials meanwhile ({@code REFUSED}).
     */
    public ImportOutcome refuseImported(String reason, Instant now) {
        if (state == InstallationState.UNINSTALLED) {
            return ImportOutcome.UNINSTALLED;
        }
        if (refreshToken != null) {
            return ImportOutcome.KEPT;
        }
        mode = InstallationMode.CLIENT_CREDENTIALS_FALLBACK;
        requestReinstall(reason, now);
        return ImportOutcome.REFUSED;
    }

    /**
     * An imported refresh token for an installation already recorded. An uninstalled one stays uninstalled (its token
     * is dead: Wix ends it with the uninstall); one without a token takes it; one with another keeps its own unless
     * {@code replace}. Taking it means advanced OAuth from now on.
     */
    public ImportOutcome takeImported(Secret imported, boolean replace, Instant now) {
        if (state == InstallationState.UNINSTALLED) {
            return ImportOutcome.UNINSTALLED;
        }
        if (refreshToken().filter(imported::equals).isPresent()) {
            return ImportOutcome.UNCHANGED;
        }
        if (refreshToken != null && !replace) {
            return ImportOutcome.KEPT;
        }
        ImportOutcome outcome = refreshToken == null ? ImportOutcome.STORED : ImportOutcome.REPLACED;
        refreshToken = SealedToken.readable(instanceId(), imported, null);
        mode = InstallationMode.REFRESH_TOKEN;
        state = InstallationState.INSTALLED;
        failureReason = null;
        updatedAt = now;
        return outcome;
    }

    /** The failure reason an install callback writes before it calls Wix, replaced when the install is recorded. */
    public static final String INSTALL_INTERRUPTED = "INSTALL_INTERRUPTED";

    /**
     * Claimed by a browser, not yet confirmed by Wix: kept until {@code until} only. Only an installation this call
     * creates is ever unconfirmed; one Wix told the service of stays confirmed.
     */
    public void unconfirmedUntil(Instant until) {
        this.unconfirmedUntil = until;
    }

    public boolean isConfirmed() {
        return unconfirmedUntil == null;
    }

    /** Wix vouched for the instance (a token for it, a verified webhook): kept from now on. True if it was not yet. */
    public boolean confirm(Instant now) {
        if (unconfirmedUntil == null) {
            return false;
        }
        unconfirmedUntil = null;
        updatedAt = now;
        return true;
    }

    /** Still exactly as {@code recordInstallStarted} left it: the callback that wrote it never finished. */
    public boolean isInterruptedInstall() {
        return mode == InstallationMode.CLIENT_CREDENTIALS_FALLBACK && failureReason != null
                && failureReason.startsWith(INSTALL_INTERRUPTED) && refreshToken == null;
    }

    /** A completed advanced-OAuth install, new or repeated: the refresh token Wix just issued is the one to keep. */
    public void completeInstall(Secret newRefreshToken, Instant now) {
        unconfirmedUntil = null; // Wix's Token Info confirmed it before the token is stored (protocol section 5)
        mode = InstallationMode.REFRESH_TOKEN;
        state = InstallationState.INSTALLED;
        refreshToken = SealedToken.readable(instanceId(), newRefreshToken, null);
        failureReason = null;
        installedAt = now;
        uninstalledAt = null;
        updatedAt = now;
    }

    /** Serve this installation with client credentials from now on; any stored ciphertext stays as evidence. */
    public void fallBackToClientCredentials(String reason, Instant now) {
        mode = InstallationMode.CLIENT_CREDENTIALS_FALLBACK;
        if (state == InstallationState.UNINSTALLED) {
            state = InstallationState.INSTALLED;
            installedAt = now;
        }
        failureReason = reason;
        updatedAt = now;
    }

    /** Wix refused the refresh token (protocol section 4): keep the ciphertext until an operator decides. */
    public void rejectRefreshToken(String reason, Instant now) {
        state = InstallationState.REFRESH_TOKEN_REJECTED;
        mode = InstallationMode.CLIENT_CREDENTIALS_FALLBACK;
        failureReason = reason;
        updatedAt = now;
    }

    /** Stores a refresh token Wix returned on refresh, if it is a new one; never replaces a token with nothing. */
    public boolean replaceRefreshToken(Secret returned, Instant now) {
        if (returned == null || refreshToken().filter(returned::equals).isPresent()) {
            return false;
        }
        refreshToken = SealedToken.readable(instanceId(), returned, null);
        updatedAt = now;
        return true;
    }

    /**
     * AppRemoved at {@code eventTime}. Ignored unless it is later than the latest install: webhooks arrive late and
     * out of order (protocol section 6). Wix's event times have whole seconds, so a removal in the same second as an
     * install is ignored: wrongly keeping an installation costs one refused refresh, wrongly removing it loses a
     * refresh token for good. Destroys the refresh token, which is dead anyway once the app is removed.
     */
    public boolean uninstall(Instant eventTime, Instant now) {
        if (state == InstallationState.UNINSTALLED
                || (installedAt != null && !eventTime.isAfter(installedAt.truncatedTo(ChronoUnit.SECONDS)))) {
            return false;
        }
        state = InstallationState.UNINSTALLED;
        refreshToken = null;
        uninstalledAt = eventTime;
        updatedAt = now;
        return true;
    }

    /** AppInstalled for an instance that was removed before {@code eventTime}: back, on client credentials. */
    public boolean reinstallByWebhook(Instant eventTime, String origin, Instant now) {
        if (state != InstallationState.UNINSTALLED || (uninstalledAt != null && !eventTime.isAfter(uninstalledAt))) {
            return false;
        }
        state = InstallationState.INSTALLED;
        mode = InstallationMode.CLIENT_CREDENTIALS;
        originInstanceId = origin;
        installedAt = eventTime;
        updatedAt = now;
        return true;
    }

    /** An operator's choice: client credentials from now on, the ciphertext kept. */
    public void switchToClientCredentials(Instant now) {
        mode = InstallationMode.CLIENT_CREDENTIALS;
        updatedAt = now;
    }

    /**
     * The migration off custom authentication: client credentials from now on, Wix having issued them for this
     * instance; the refresh token kept until {@code keepUntil}. False for anything but a refresh-token installation.
     */
    public boolean migrateToClientCredentials(Instant keepUntil, Instant now) {
        if (mode != InstallationMode.REFRESH_TOKEN || refreshToken == null || state == InstallationState.UNINSTALLED) {
            return false;
        }
        mode = InstallationMode.CLIENT_CREDENTIALS;
        refreshTokenKeptUntil = keepUntil;
        updatedAt = now;
        return true;
    }

    /** Back to the refresh token the migration kept, while it is kept; false otherwise. */
    public boolean switchBackToRefreshToken(Instant now) {
        if (refreshTokenKeptUntil == null || refreshToken == null || !now.isBefore(refreshTokenKeptUntil)) {
            return false;
        }
        mode = InstallationMode.REFRESH_TOKEN;
        refreshTokenKeptUntil = null;
        updatedAt = now;
        return true;
    }

    /** The migration's grace period is over: the refresh token is forgotten; false if it was not kept. */
    public boolean forgetKeptRefreshToken(Instant now) {
        if (refreshTokenKeptUntil == null || now.isBefore(refreshTokenKeptUntil)) {
            return false;
        }
        refreshToken = null;
        refreshTokenKeptUntil = null;
        updatedAt = now;
        return true;
    }

    /** An operator's choice: the refresh token is deleted; an installation that relied on it falls back. */
    public boolean forgetRefreshToken(String reason, Instant now) {
        if (refreshToken == null) {
            return false;
        }
        refreshToken = null;
        if (mode == InstallationMode.REFRESH_TOKEN) {
            fallBackToClientCredentials(reason, now);
        }
        updatedAt = now;
        return true;
    }

    public void requestReinstall(String reason, Instant now) {
        state = InstallationState.REINSTALL_REQUESTED;
        failureReason = reason;
        updatedAt = now;
    }

    /** Created from an AppInstalled webhook: installed when Wix says, from {@code origin} if it is a cloned site. */
    public void arrivedByWebhook(Instant eventTime, String origin) {
        this.installedAt = eventTime;
        this.originInstanceId = origin;
    }

    public boolean recordPaidPlan(String summary, Instant now) {
        if (summary.equals(paidPlan)) {
            return false;
        }
        paidPlan = summary;
        updatedAt = now;
        return true;
    }

    /** The key id the stored refresh token was sealed with, or null when none is stored or it is not usable here. */
    public String refreshTokenKeyId() {
        return refreshToken().isPresent() ? refreshToken.keyId() : null;
    }

    /**
     * Seals the stored refresh token again, under the key that is active now (a key rotation). The value is new, so
     * the converter writes it: a fresh nonce under the active key, bound to this installation as before.
     */
    public boolean reseal(Instant now) {
        Optional<Secret> token = refreshToken();
        if (token.isEmpty()) {
            return false;
        }
        refreshToken = SealedToken.readable(instanceId(), token.get(), null);
        updatedAt = now;
        return true;
    }

    /** The refresh token, if one is stored, readable and sealed for this installation. */
    public Optional<Secret> refreshToken() {
        return refreshToken == null ? Optional.empty() : refreshToken.tokenFor(instanceId());
    }

    public boolean hasStoredRefreshToken() {
        return refreshToken != null;
    }

    /** Why a stored token cannot be used, for logs; never the token. */
    public String refreshTokenProblem() {
        return refreshToken == null ? "no refresh token stored" : refreshToken.problemFor(instanceId());
    }

    public InstanceId instanceId() {
        return InstanceId.of(instanceId);
    }

    public String getInstanceId() {
        return instanceId;
    }

    public String getAppId() {
        return appId;
    }

    public InstallationMode getMode() {
        return mode;
    }

    public InstallationState getState() {
        return state;
    }

    public String getFailureReason() {
        return failureReason;
    }

    public String getOriginInstanceId() {
        return originInstanceId;
    }

    public String getPaidPlan() {
        return paidPlan;
    }

    public Instant getInstalledAt() {
        return installedAt;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUninstalledAt() {
        return uninstalledAt;
    }

    public Instant getRefreshTokenKeptUntil() {
        return refreshTokenKeptUntil;
    }

    public Instant getUnconfirmedUntil() {
        return unconfirmedUntil;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
