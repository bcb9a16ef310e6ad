package io.wixoauth.core.audit;

import io.wixoauth.api.audit.AuditEvent;
import io.wixoauth.core.platform.Logs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records events that must not fail the operation they describe (an install, a webhook): a failed append is logged,
 * not thrown. The entry is committed, in a transaction of its own, before this returns; entries of callers who arrive
 * together share one ({@link GroupedAppends}).
 */
@ApplicationScoped
public class Audit {

    private static final Logger LOG = Logs.of(Audit.class);

    @Inject
    GroupedAppends appends;

    public void quietly(AuditEvent event) {
        try {
            appends.append(event);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Could not record audit event " + event.action() + " for instance " + event.instanceId(), e);
        }
    }
}
