package io.wixoauth.core.job;

import io.wixoauth.api.admin.ImportOptions;
import io.wixoauth.api.installation.AppId;
import io.wixoauth.core.wix.Apps;
import io.wixoauth.api.admin.ImportReport;
import io.wixoauth.api.admin.ImportService;
import io.wixoauth.api.admin.JobView;
import io.wixoauth.api.error.InvalidRequestException;
import io.wixoauth.persistence.job.ImportLine;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads an import file as it arrives (issue: moving an existing install base in), stages its valid lines batch by
 * batch, then starts the import job that applies them ({@link ImportBatches}). No transaction spans the upload.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class DefaultImportService implements ImportService {

    static final int STAGING_BATCH = 500;

    @Inject
    Clock clock;

    @Inject
    ImportStaging staging;

    @Inject
    DefaultJobService jobs;

    @Inject
    Apps apps;

    @Override
    public ImportReport receive(InputStream ndjson, ImportOptions options, String actor, String requestId) {
        String reason = DefaultJobService.requireReason(options.reason());
        AppId app = appOf(options);
        if (!options.dryRun()) {
            jobs.refuseIfRunning(DefaultJobService.IMPORT);
        }
        String jobId = UUID.randomUUID().toString();
        Tally tally = new Tally();
        try {
            read(ndjson, options, app, jobId, tally);
        } catch (IOException e) {
            staging.discard(jobId);
            throw new InvalidRequestException("The file did not arrive whole (" + e.getClass().getSimpleName()
                    + "); nothing was imported.");
        } catch (RuntimeException e) {
            staging.discard(jobId);
            throw e;
        }
        if (tally.valid == 0) {
            throw new InvalidRequestException("No line of the file is a valid installation; nothing was imported. "
                    + tally.firstErrors());
        }
        if (options.dryRun()) {
            return tally.report(null, true);
        }
        try {
            JobView job = jobs.start(DefaultJobService.IMPORT, jobId, tally.valid, "started",
                    tally.valid + " installations to apply, " + tally.invalid + " bad lines"
                            + (options.replace() ? ", replacing stored refresh tokens" : "")
                            + (options.verify() ? ", each verified with Wix" : "")
                            + (apps.isDefault(app) ? "" : ", of app " + app),
                    reason, actor, requestId);
            return tally.report(job, false);
        } catch (RuntimeException e) {
            staging.discard(jobId); // another import started meanwhile: this one never existed
            throw e;
        }
    }

    /** The app named, which must be one the deployment serves; the default app when none is named. */
    private AppId appOf(ImportOptions options) {
        if (options.appId() == null || options.appId().isBlank()) {
            return apps.defaultAppId();
        }
        AppId app;
        try {
            app = AppId.of(options.appId());
        } catch (RuntimeException e) {
            throw new InvalidRequestException("appId must be the app's id from the Wix dev center, a UUID.");
        }
        return apps.served(app);
    }

    private void read(InputStream ndjson, ImportOptions options, AppId app, String jobId, Tally tally)
            throws IOException {
        ImportFile file = new ImportFile(new BufferedInputStream(ndjson, 64 * 1024));
        List<ImportLine> batch = new ArrayList<>(STAGING_BATCH);
        Optional<ImportFile.Read> read;
        while ((read = file.next()).isPresent()) {
            ImportFile.Read next = read.get();
            tally.lines++;
            if (next.line() == null) {
                tally.bad(next.number(), next.problem());
                continue;
            }
            tally.valid++;
            if (!options.dryRun()) {
                ImportFile.Line line = next.line();
                batch.add(new ImportLine(jobId, line.number(), line.instanceId(), line.refreshToken(),
                        line.installedAt(), line.originInstanceId(), line.paidPlan(), options.replace(), options.verify(),
                        Instant.now(clock), apps.isDefault(app) ? null : app.value()));
                if (batch.size() == STAGING_BATCH) {
                    staging.stage(batch);
                    batch = new ArrayList<>(STAGING_BATCH);
                }
            }
        }
        if (!batch.isEmpty()) {
            staging.stage(batch);
        }
    }

    /** The counts of one file, and its first bad lines. */
    private static final class Tally {
        long lines;
        long valid;
        long invalid;
        final List<ImportReport.LineError> errors = new ArrayList<>();

        void bad(long line, String problem) {
            invalid++;
            if (errors.size() < ImportReport.LISTED_ERRORS) {
                errors.add(new ImportReport.LineError(line, problem));
            }
        }

        String firstErrors() {
            StringBuilder text = new StringBuilder(lines == 0 ? "The file is empty." : "First problems:");
            errors.stream().limit(5).forEach(e -> text.append(" line ").append(e.line()).append(": ").append(e.reason()).append(';'));
            return text.toString();
        }

        ImportReport report(JobView job, boolean dryRun) {
            return new ImportReport(lines, valid, invalid, List.copyOf(errors), job, dryRun);
        }
    }
}
