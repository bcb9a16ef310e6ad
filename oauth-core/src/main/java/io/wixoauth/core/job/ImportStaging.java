package io.wixoauth.core.job;

import io.wixoauth.persistence.job.ImportLine;
import io.wixoauth.persistence.job.ImportLineRepository;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.util.List;

/** Each batch of an arriving import file commits on its own: a long upload holds no transaction open. */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class ImportStaging {

    @Inject
    ImportLineRepository lines;

    public void stage(List<ImportLine> batch) {
        lines.stage(batch);
    }

    /** Takes back what an upload staged when it cannot become a job (a broken upload, another import running). */
    public void discard(String jobId) {
        lines.discard(jobId);
    }
}
