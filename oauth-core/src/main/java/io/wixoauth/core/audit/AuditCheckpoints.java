package io.wixoauth.core.audit;

import io.wixoauth.api.Jsonp;
import io.wixoauth.core.platform.Interval;
import io.wixoauth.persistence.audit.AuditHead;
import io.wixoauth.persistence.audit.AuditRepository;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * Writes the chain's head to the audit log (the company's log store) every {@code oauth.audit.checkpoint-interval}
 * when it moved: one JSON line {@code {"checkpoint": "seq:hash", ...}}, sealed with the active chain key. Someone who
 * can write the database can cut the chain's tail and move the head back, which the database alone cannot show;
 * {@code GET /api/admin/audit/verify?checkpoint=seq:hash} with the latest logged checkpoint shows it.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class AuditCheckpoints {

    private static final Logger AUDIT_LOG = Logger.getLogger("io.wixoauth.audit");

    @Inject
    Clock clock;

    @Inject
    AuditRepository repository;

    @Inject
    AuditKeys keys;

    private Interval interval;
    private volatile long lastLogged = -1;

    @Inject
    void interval(@ConfigProperty(name = "oauth.audit.checkpoint-interval") Duration length) {
        interval = new Interval(length);
    }

    @Schedule(hour = "*", minute = "*", second = "*", persistent = false)
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    void tick() {
        if (!interval.due()) {
            return;
        }
        AuditHead head = repository.head();
        if (head.getLastSeq() == lastLogged) {
            return;
        }
        String checkpoint = head.getLastSeq() + ":" + head.getLastHash();
        String line = Jsonp.object()
                .add("checkpoint", checkpoint)
                .add("at", Instant.now(clock).toString())
                .add("keyId", keys.chain().activeKeyId())
                .add("seal", keys.chain().seal("checkpoint\u001f" + checkpoint))
                .build().toString();
        AUDIT_LOG.info(line);
        lastLogged = head.getLastSeq();
    }
}
