package io.wixoauth.core.wix;

import io.wixoauth.api.Secret;
import io.wixoauth.api.error.UnknownAppException;
import io.wixoauth.api.installation.AppId;
import io.wixoauth.core.platform.ServiceMetrics;
import io.wixoauth.core.platform.Logs;
import io.wixoauth.persistence.app.AppRepository;
import io.wixoauth.persistence.app.StoredApp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * The apps every node calls Wix with. The default app is {@code wix.app-id}/{@code wix.app-secret}, unless an operator
 * changed its secret (its row then overrides the setting); the others are rows. The rows are read again when a call
 * needs them and they are older than {@link #RELOAD_EVERY}, so a secret changed on one node is used by every node
 * within seconds, with no restart and no read on the warm token path (credentials are needed only to call Wix).
 */
@ApplicationScoped
public class Apps {

    static final Duration RELOAD_EVERY = Duration.ofSeconds(5);

    private static final Logger LOG = Logs.of(Apps.class);

    @Inject
    Clock clock;

    @Inject
    WixSettings settings;

    @Inject
    AppRepository repository;

    private final ReentrantLock loading = new ReentrantLock();
    private volatile Snapshot snapshot;

    private record Snapshot(Map<String, StoredApp> rows, Instant loadedAt) {
    }

    public AppId defaultAppId() {
        return settings.appId();
    }

    public boolean isDefault(AppId appId) {
        return settings.appId().equals(appId);
    }

    /** What to call Wix with for this app; an app this deployment does not serve is refused. */
    public AppCredentials credentials(AppId appId) {
        Optional<StoredApp> row = stored(appId);
        if (row.isEmpty() && !isDefault(appId)) {
            throw unknown(appId);
        }
        Secret secret = row.flatMap(StoredApp::secret).orElseGet(settings::appSecret);
        return new AppCredentials(appId, secret);
    }

    /** The default app's credentials: for what has no app of its own yet. */
    public AppCredentials defaultCredentials() {
        return credentials(defaultAppId());
    }

    public Optional<StoredApp> stored(AppId appId) {
        return Optional.ofNullable(current().rows().get(appId.value()));
    }

    /** Every app's row, in the order they were added (the default app's only if its secret was changed). */
    public List<StoredApp> stored() {
        return List.copyOf(current().rows().values());
    }

    /** The one app this deployment serves, empty when it serves several: an unknown instance's app is then unknown. */
    public Optional<AppId> soleApp() {
        return current().rows().keySet().stream().anyMatch(appId -> !isDefault(AppId.of(appId)))
                ? Optional.empty() : Optional.of(defaultAppId());
    }

    /** The app, when this deployment serves it; otherwise refused as unknown (404 unknown_app). */
    public AppId served(AppId appId) {
        if (!serves(appId)) {
            throw unknown(appId);
        }
        return appId;
    }

    private static UnknownAppException unknown(AppId appId) {
        return new UnknownAppException("This deployment serves no app " + appId + ".");
    }

    /** The {@code app} tag of a metric for an app id a request named: its own when served here, else none. */
    public String metricTag(String appId) {
        try {
            return serves(AppId.of(appId)) ? AppId.of(appId).value() : ServiceMetrics.NO_APP;
        } catch (RuntimeException malformed) {
            return ServiceMetrics.NO_APP;
        }
    }

    /** Whether this deployment serves the app. */
    public boolean serves(AppId appId) {
        return isDefault(appId) || current().rows().containsKey(appId.value());
    }

    /** This node's own change is used at once, not after the next reload. */
    void changed(@Observes(during = TransactionPhase.AFTER_SUCCESS) AppsChanged change) {
        reload();
    }

    private Snapshot current() {
        Snapshot known = snapshot;
        if (known != null && Duration.between(known.loadedAt(), Instant.now(clock)).compareTo(RELOAD_EVERY) < 0) {
            return known;
        }
        if (known == null) {
            loading.lock(); // the first caller loads; the others wait for it, once
        } else if (!loading.tryLock()) {
            return known; // another caller is reading the rows: the last ones stay good meanwhile
        }
        try {
            if (snapshot == known) {
                load(known);
            }
            return snapshot;
        } finally {
            loading.unlock();
        }
    }

    private void reload() {
        loading.lock();
        try {
            load(snapshot);
        } finally {
            loading.unlock();
        }
    }

    /** A database that cannot be read keeps the apps last read (or the default app alone, before any). */
    private void load(Snapshot known) {
        Instant now = Instant.now(clock);
        try {
            Map<String, StoredApp> rows = new LinkedHashMap<>();
            repository.all().forEach(app -> rows.put(app.appId(), app));
            snapshot = new Snapshot(java.util.Collections.unmodifiableMap(rows), now);
        } catch (RuntimeException e) {
            LOG.warning(() -> "Could not read the apps again, the last ones read stay in use: " + e);
            snapshot = new Snapshot(known == null ? Map.of() : known.rows(), now);
        }
    }
}
