package io.wixoauth.core.app;

import io.wixoauth.api.Secret;
import io.wixoauth.api.app.AppRequest;
import io.wixoauth.api.app.AppService;
import io.wixoauth.api.app.AppView;
import io.wixoauth.api.app.HandshakeChange;
import io.wixoauth.api.audit.AuditEvent;
import io.wixoauth.api.audit.AuditService;
import io.wixoauth.api.error.AppConflictException;
import io.wixoauth.api.error.InvalidRequestException;
import io.wixoauth.api.error.UnknownAppException;
import io.wixoauth.api.installation.AppId;
import io.wixoauth.core.webhook.WebhookVerifier;
import io.wixoauth.core.wix.AppCredentials;
import io.wixoauth.core.wix.Apps;
import io.wixoauth.core.wix.AppsChanged;
import io.wixoauth.core.wix.SecretRefusals;
import io.wixoauth.core.wix.WixSettings;
import io.wixoauth.persistence.app.AppRepository;
import io.wixoauth.persistence.app.StoredApp;
import io.wixoauth.persistence.installation.InstallationRepository;
import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one writer of the apps: each change in one transaction with its audit entry, announced after the commit so this
 * node calls Wix with it at once (every other node within seconds, {@link Apps}).
 */
@Stateless
public class DefaultAppService implements AppService {

    @Inject
    Clock clock;

    @Inject
    AppRepository repository;

    @Inject
    InstallationRepository installations;

    @Inject
    WixSettings settings;

    @Inject
    SecretRefusals refusals;

    @Inject
    AuditService audit;

    @Inject
    Event<AppsChanged> changed;

    @Override
    public List<AppView> apps() {
        List<AppView> views = new ArrayList<>();
        List<StoredApp> rows = repository.all();
        views.add(defaultView(rows.stream().filter(row -> isDefault(row.appId())).findFirst()));
        rows.stream().filter(row -> !isDefault(row.appId())).map(this::view).forEach(views::add);
        return views;
    }

    @Override
    public AppView app(String appId) {
        AppId id = appId(appId);
        Optional<StoredApp> row = repository.find(id.value());
        if (isDefault(id.value())) {
            return defaultView(row);
        }
        return view(row.orElseThrow(() -> unknown(id)));
    }

    @Override
    public AppView add(AppRequest request, String actor, String requestId) {
        AppId id = appId(request.appId());
        if (isDefault(id.value())) {
            throw new AppConflictException("App " + id + " is this deployment's default app (wix.app-id).");
        }
        int keys = webhookKeys(request.webhookPublicKeys());
        if (!repository.add(id.value(), Secret.of(request.secret()), request.webhookPublicKeys(), request.redirectUrl(),
                true, Instant.now(clock), actor)) {
            throw new AppConflictException("App " + id + " is served already; its secret is changed with PUT "
                    + "/api/admin/apps/" + id + "/secret.");
        }
        record("app.added", actor, id, "added", request.reason(), requestId,
                "secret sha256:" + Secret.of(request.secret()).fingerprint() + ", " + keys + " webhook key(s)");
        changed.fire(new AppsChanged(id.value()));
        return app(id.value());
    }

    @Override
    public void remove(String appId, String reason, String actor, String requestId) {
        AppId id = appId(appId);
        requireReason(reason);
        if (isDefault(id.value())) {
            throw new AppConflictException("The default app (wix.app-id) is removed by changing the settings, not here.");
        }
        repository.find(id.value()).orElseThrow(() -> unknown(id));
        long installed = installations.countInstalledOf(id.value());
        if (installed > 0) {
            throw new AppConflictException("App " + id + " has " + installed + " installation(s) that are not "
                    + "uninstalled; it can be removed once none is left.");
        }
        repository.delete(id.value());
        record("app.removed", actor, id, "removed", reason, requestId, null);
        changed.fire(new AppsChanged(id.value()));
    }

    @Override
    public AppView changeSecret(String appId, Secret secret, String reason, String actor, String requestId) {
        AppId id = appId(appId);
        Instant now = Instant.now(clock);
        boolean changedHere = repository.changeSecret(id.value(), secret, now, actor)
                || isDefault(id.value()) && repository.add(id.value(), secret, null, null, true, now, actor)
                || isDefault(id.value()) && repository.changeSecret(id.value(), secret, now, actor);
        if (!changedHere) {
            throw unknown(id);
        }
        record("app.secret_changed", actor, id, "secret changed", reason, requestId,
                "secret sha256:" + secret.fingerprint());
        changed.fire(new AppsChanged(id.value()));
        return app(id.value());
    }

    @Override
    public AppView changeHandshake(String appId, HandshakeChange change, String actor, String requestId) {
        AppId id = appId(appId);
        boolean on = change.handshake();
        if (isDefault(id.value())) {
            if (change.redirectUrl() != null) {
                throw new InvalidRequestException("The default app's Redirect URL is its setting (wix.redirect-url).");
            }
            repository.addDefault(id.value(), on, Instant.now(clock), actor);
        }
        StoredApp app = repository.find(id.value()).orElseThrow(() -> unknown(id));
        if (on && !isDefault(id.value()) && change.redirectUrl() == null && app.redirectUrl().isEmpty()) {
            throw new InvalidRequestException("App " + id + " has no Redirect URL: give the one registered for it in "
                    + "its Wix dashboard (redirectUrl), " + "/oauth/callback/" + id + " on this service.");
        }
        repository.changeHandshake(id.value(), on, change.redirectUrl());
        record("app.handshake_changed", actor, id, on ? "handshake on" : "handshake off", change.reason(), requestId,
                change.redirectUrl() == null ? null : "redirect URL " + change.redirectUrl());
        changed.fire(new AppsChanged(id.value()));
        return app(id.value());
    }

    private AppView defaultView(Optional<StoredApp> override) {
        Optional<Secret> changedSecret = override.flatMap(StoredApp::secret);
        Secret secret = changedSecret.orElseGet(settings::appSecret);
        return new AppView(settings.appId().value(), true, secret.fingerprint(),
                changedSecret.isPresent() ? "admin_api" : "setting",
                override.map(StoredApp::secretChangedAt).orElse(null), settings.redirectUrl().toString(),
                override.map(StoredApp::handshake).orElse(true), installations.countInstalledOf(settings.appId().value()),
                refused(settings.appId(), secret).orElse(null), null, null);
    }

    private AppView view(StoredApp row) {
        AppId id = AppId.of(row.appId());
        String fingerprint = row.secret().map(Secret::fingerprint).orElse("unreadable");
        return new AppView(row.appId(), false, fingerprint, "admin_api", row.secretChangedAt(),
                row.redirectUrl().orElse(null), row.handshake(), installations.countInstalledOf(row.appId()),
                row.secret().flatMap(secret -> refused(id, secret)).orElse(null), row.addedAt(), row.addedBy());
    }

    private Optional<Instant> refused(AppId appId, Secret secret) {
        return refusals.lastRefused(new AppCredentials(appId, secret));
    }

    private boolean isDefault(String appId) {
        return settings.appId().value().equals(appId);
    }

    private static AppId appId(String raw) {
        try {
            return AppId.of(raw);
        } catch (RuntimeException e) {
            throw new InvalidRequestException("An app id is the app's UUID from the Wix dev center.");
        }
    }

    private static int webhookKeys(String keys) {
        try {
            int count = WebhookVerifier.verifiers(keys).size();
            if (count > 0) {
                return count;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw new InvalidRequestException("webhookPublicKeys must hold the app's webhook public key from its Wix "
                + "dashboard: an RSA public key in PEM (or base64-encoded PEM), several separated by commas.");
    }

    private static void requireReason(String reason) {
        if (reason == null || reason.isBlank() || reason.length() > 400) {
            throw new InvalidRequestException("reason is required: why, for the audit trail (1-400 characters).");
        }
    }

    private static UnknownAppException unknown(AppId id) {
        return new UnknownAppException("This deployment serves no app " + id + ".");
    }

    private void record(String action, String actor, AppId appId, String outcome, String reason, String requestId,
                        String details) {
        audit.record(AuditEvent.of(action, actor, null, outcome).withReason(reason.strip()).withRequestId(requestId)
                .withDetails("app " + appId + (details == null ? "" : ", " + details)).withApp(appId.value()));
    }
}
