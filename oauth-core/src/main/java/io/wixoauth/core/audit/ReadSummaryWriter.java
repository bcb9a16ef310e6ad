package io.wixoauth.core.audit;

import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

/**
 * Writes the token reads' summaries ({@link ReadSummaries}) every second, and at shutdown the window still open too,
 * so a restart loses no count. The EJB timer lives here so that the reads themselves never pass the EJB container.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN) // a slow write must not queue ticks behind a lock
public class ReadSummaryWriter {

    @Inject
    ReadSummaries summaries;

    @Schedule(hour = "*", minute = "*", second = "*", persistent = false)
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void tick() {
        summaries.flush(false);
    }

    @PreDestroy
    public void flushOnShutdown() {
        summaries.flush(true);
    }
}
