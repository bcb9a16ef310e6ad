package io.wixoauth.core.job;

import io.wixoauth.persistence.job.ImportLineRepository;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Deletes staged import lines that no running job will apply: those of a cancelled or finished import at once, and
 * those of an upload that never became a job (its node died mid-file) once they are an hour old, since an upload in
 * progress has no job yet either.
 */
@Stateless
public class ImportLineSweep {

    static final Duration UPLOAD_GRACE = Duration.ofHours(1);

    @Inject
    Clock clock;

    @Inject
    ImportLineRepository lines;

    public int discardAbandoned() {
        return lines.discardAbandoned(Instant.now(clock).minus(UPLOAD_GRACE));
    }
}
