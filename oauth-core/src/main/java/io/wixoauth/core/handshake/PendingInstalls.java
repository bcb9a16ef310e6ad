package io.wixoauth.core.handshake;

import io.wixoauth.api.Secret;
import io.wixoauth.api.audit.AuditEvent;
import io.wixoauth.api.error.ServiceException;
import io.wixoauth.api.installation.AppId;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.core.audit.Audit;
import io.wixoauth.core.installation.Installations;
import io.wixoauth.core.platform.Logs;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Refresh tokens Wix issued while the database was unreachable. The code that bought one is spent and Wix will not
 * issue it again, so instead of losing it the service keeps it in memory and stores it as soon as the database is
 * back (every two seconds it tries). The site owner was shown "try again in a few minutes", never the close-window
 * page: only a token that is stored is ever confirmed. A process that dies meanwhile loses what it held (the instance is
 * then served by client credentials, as any unrecorded instance is).
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class PendingInstalls {

    private static final Logger LOG = Logs.of(PendingInstalls.class);

    /** A bound on memory: an outage long enough to fill it is one for operations, not for this buffer. */
    static final int CAPACITY = 10_000;

    private record Pending(AppId appId, Secret refreshToken, String reference) {
    }

    private final Map<InstanceId, Pending> pending = new ConcurrentHashMap<>();

    @Inject
    Installations installations;


    @Inject
    Audit audit;

    public void hold(InstanceId instanceId, AppId appId, Secret refreshToken, String reference) {
        if (pending.size() >= CAPACITY && !pending.containsKey(instanceId)) {
            LOG.severe(() -> "Cannot keep the refresh token of instance " + instanceId + " (reference " + reference
                    + "): " + CAPACITY + " are already waiting for the database");
            return;
        }
        pending.put(instanceId, new Pending(appId, refreshToken, reference));
        LOG.warning(() -> "Refresh token of instance " + instanceId + " kept in memory until the database is back "
                + "(reference " + reference + "); " + pending.size() + " waiting");
    }

    @Schedule(hour = "*", minute = "*", second = "*/2", persistent = false)
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void store() {
        for (Map.Entry<InstanceId, Pending> entry : pending.entrySet()) {
            InstanceId instanceId = entry.getKey();
            try {
                installations.recordInstall(instanceId, entry.getValue().appId(), entry.getValue().refreshToken());
            } catch (ServiceException e) {
                pending.remove(instanceId, entry.getValue()); // refused, not an outage: trying again changes nothing
                LOG.warning(() -> "The refresh token of instance " + instanceId + " kept during a database outage was "
                        + "not stored (reference " + entry.getValue().reference() + "): " + e.getMessage());
                continue;
            } catch (RuntimeException e) {
                return; // still down: the next round tries again
            }
            pending.remove(instanceId, entry.getValue());
            audit.quietly(AuditEvent.of("install.completed", "service", instanceId.value(),
                    "refresh token stored after the database came back").withRequestId(entry.getValue().reference())
                    .withApp(entry.getValue().appId().value()));
            LOG.info(() -> "Stored the refresh token of instance " + instanceId + " kept during a database outage "
                    + "(reference " + entry.getValue().reference() + ")");
        }
    }
}
