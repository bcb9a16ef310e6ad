package io.wixoauth.core.admin;

import io.wixoauth.api.Secret;
import io.wixoauth.api.admin.ActionResult;
import io.wixoauth.api.admin.AdminAction;
import io.wixoauth.api.admin.AdminService;
import io.wixoauth.api.admin.HealthSummary;
import io.wixoauth.api.admin.InstallationDetail;
import io.wixoauth.api.admin.InstallationFilter;
import io.wixoauth.api.admin.InstallationPage;
import io.wixoauth.api.admin.InstallationSummary;
import io.wixoauth.api.audit.AuditEvent;
import io.wixoauth.api.audit.AuditRecord;
import io.wixoauth.api.audit.AuditService;
import io.wixoauth.api.error.InvalidRequestException;
import io.wixoauth.api.error.ServiceException;
import io.wixoauth.api.error.UnknownInstanceException;
import io.wixoauth.api.installation.AppId;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.api.token.AccessTokenService;
import io.wixoauth.core.token.ClientCredentialsFallback;
import io.wixoauth.core.installation.Installations;
import io.wixoauth.core.platform.ServiceMetrics;
import io.wixoauth.persistence.installation.Installation;
import io.wixoauth.persistence.installation.InstallationMode;
import io.wixoauth.persistence.installation.InstallationRepository;
import io.wixoauth.persistence.installation.InstallationState;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Reads run without a transaction; each action commits on its own, then is audited with its actor and reason. */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class DefaultAdminService implements AdminService {

    private static final int HISTORY = 20;

    @Inject
    Clock clock;

    @Inject
    InstallationRepository repository;

    @Inject
    Installations installations;

    @Inject
    AccessTokenService tokens;


    @Inject
    ClientCredentialsFallback fallback;

    @Inject
    AuditService audit;

    @Inject
    ServiceMetrics metrics;

    @Override
    public InstallationPage list(InstallationFilter filter) {
        List<Installation> rows = repository.find(parse(InstallationMode.class, filter.mode()),
                parse(InstallationState.class, filter.state()), filter.appId(), filter.updatedSince(), filter.after(),
                filter.limit() + 1);
        List<InstallationSummary> items = rows.stream().limit(filter.limit()).map(DefaultAdminService::summary).toList();
        String next = rows.size() > filter.limit() ? items.get(items.size() - 1).instanceId() : null;
        return new InstallationPage(items, next);
    }

    @Override
    public InstallationDetail get(InstanceId instanceId) {
        Installation installation = existing(instanceId);
        String fingerprint = installation.refreshToken().map(Secret::fingerprint).orElse(null);
        String status = fingerprint != null ? "readable" : installation.refreshTokenProblem();
        return new InstallationDetail(summary(installation), fingerprint, status, audit.recent(instanceId.value(), HISTORY));
    }

    @Override
    public ActionResult perform(InstanceId instanceId, AdminAction action, String reason, String actor, String requestId) {
        if (reason == null || reason.isBlank() || reason.length() > 400) {
            throw new InvalidRequestException("Every action needs a reason of 1 to 400 characters.");
        }
        Installation installation = existing(instanceId);
        String outcome;
        try {
            outcome = apply(installation, action, reason.strip(), actor);
        } catch (ServiceException e) {
            outcome = "failed: " + e.errorCode();
        }
        AuditRecord entry = audit.record(AuditEvent.of("admin." + action.pathName(), actor, instanceId.value(), outcome)
                .withReason(reason.strip()).withRequestId(requestId).withApp(installation.getAppId()));
        return new ActionResult(instanceId.value(), action.pathName(), outcome, entry.seq());
    }

    @Override
    public HealthSummary health() {
        Instant now = Instant.now(clock);
        return new HealthSummary(repository.countByMode(), repository.countByState(),
                audit.count("install.fallback", now.minus(Duration.ofHours(1))),
                audit.count("install.fallback", now.minus(Duration.ofDays(1))),
                repository.oldestUnresolvedFailure().map(DefaultAdminService::summary).orElse(null),
                metrics.wixHealth(), audit.lastVerification().orElse(null));
    }

    private String apply(Installation installation, AdminAction action, String reason, String actor) {
        InstanceId instanceId = installation.instanceId();
        String why = action.pathName() + " by " + actor + ": " + reason;
        switch (action) {
            case FORCE_REFRESH -> {
                return "refreshed via " + tokens.refresh(instanceId).source().wireName();
            }
            case SWITCH_TO_CLIENT_CREDENTIALS -> installations.switchToClientCredentials(instanceId);
            case FORGET_REFRESH_TOKEN -> {
                if (!installations.forgetRefreshToken(instanceId, why)) {
                    return "no refresh token was stored";
                }
            }
            case MARK_FOR_REINSTALL -> installations.requestReinstall(instanceId, why);
            case SWITCH_BACK_TO_REFRESH_TOKEN -> {
                if (!installations.switchBackToRefreshToken(instanceId)) {
                    return "no refresh token is kept from a migration (never migrated, or its grace period is over)";
                }
            }
            case RETRY_FALLBACK -> {
                return fallback.verify(AppId.of(installation.getAppId()), instanceId);
            }
        }
        return "done";
    }

    private Installation existing(InstanceId instanceId) {
        return repository.findByInstanceId(instanceId)
                .orElseThrow(() -> new UnknownInstanceException("No installation is recorded for instance " + instanceId + "."));
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("Unknown " + type.getSimpleName().replace("Installation", "").toLowerCase(Locale.ROOT)
                    + " '" + value.replaceAll("[^A-Za-z0-9_-]", "") + "'.");
        }
    }

    static InstallationSummary summary(Installation i) {
        return new InstallationSummary(i.getInstanceId(), i.getAppId(), i.getMode().name(), i.getState().name(),
                i.getFailureReason(), i.getOriginInstanceId(), i.getPaidPlan(), i.getInstalledAt(), i.getUpdatedAt());
    }
}
